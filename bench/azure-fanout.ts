/**
 * Azure evidence at scale (`node bench/azure-fanout.ts`; `npm run bench:azure` runs it): the
 * reference Defender exfiltration incident against the simulated Azure of `tourniquet exercise`,
 * every ARM and Blob call answered after 40 ms, at 1,000 blobs (the per-object path, inside the
 * contain invocation) and 100,000 blobs (the queue-triggered fan-out, docs/evidence-jobs.md).
 * Prints: time to cut-off (must stay flat), when the contain invocation is done, how many pages
 * were queued, the workers' time to "evidence complete" (32 pages in flight: 8 instances with
 * host.json batchSize 4), peak heap, and whether every blob was snapshotted and copied once.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { StorageManagementClient } from '@azure/arm-storage';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { Alert } from '../core/alert.ts';
import { parseConfig } from '../core/config.ts';
import { decide } from '../core/decide.ts';
import { incidentJobs } from '../core/evidence-jobs.ts';
import type { Executor } from '../core/executor.ts';
import { incidentJournal } from '../core/journal.ts';
import { mapLimit } from '../core/map-limit.ts';
import { respond } from '../core/respond.ts';
import { aiAccountsClient } from '../functions-azure/ai-accounts-client.ts';
import type { AzureClients } from '../functions-azure/clients.ts';
import { parseAzureEvent } from '../functions-azure/events/index.ts';
import { workFanoutPage } from '../functions-azure/evidence-worker.ts';
import type { FanoutMessage } from '../functions-azure/executors/evidence-fanout.ts';
import { azureExecutors } from '../functions-azure/executors/index.ts';
import { graphClient } from '../functions-azure/graph-client.ts';
import { PACKS } from '../packs/index.ts';
import { aiFetch } from '../sim/azure/ai.ts';
import { armHttpClient } from '../sim/azure/arm.ts';
import { simulatedBlobService } from '../sim/azure/blob.ts';
import { graphFetch } from '../sim/azure/graph.ts';
import { emptyAzure, type SavedAzure } from '../sim/azure/state.ts';
import { seedAzure } from '../sim/seed-azure.ts';
import { LATENCY_MS, sleep, slowStore } from './slow-store.ts';

const WORKERS = 32;
const LIST_PAGE = 5000;

/** Every async call of the client (and of the clients it hands out) answers after LATENCY_MS. */
function slowed<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, key) {
      const v = Reflect.get(t, key);
      if (typeof v !== 'function' || String(key).startsWith('generate')) return v;
      return (...args: unknown[]) => {
        const r = v.apply(t, args);
        if (r && typeof r.then === 'function') return sleep(LATENCY_MS).then(() => r);
        if (r && typeof r[Symbol.asyncIterator] === 'function') return slowList(r);
        return r && typeof r === 'object' ? slowed(r) : r;
      };
    },
  });
}

/** A listing: one call per page of 5,000 blobs, as List Blobs answers. */
async function* slowList<T>(items: AsyncIterable<T>) {
  let n = 0;
  for await (const item of items) {
    if (n++ % LIST_PAGE === 0) await sleep(LATENCY_MS);
    yield item;
  }
}

function clients(state: () => SavedAzure): AzureClients {
  const inner = armHttpClient(state);
  const httpClient = {
    sendRequest: async (r: Parameters<typeof inner.sendRequest>[0]) => {
      await sleep(LATENCY_MS);
      return inner.sendRequest(r);
    },
  };
  const credential = { getToken: async () => ({ token: 'sim', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const options = { httpClient: httpClient as never, retryOptions: { maxRetries: 0 } };
  const blobs = new Map<string, BlobServiceClient>();
  return {
    authorization: (sub) => new AuthorizationManagementClient(credential, sub, options),
    storage: (sub) => new StorageManagementClient(credential, sub, options),
    blob: (account) => {
      const known = blobs.get(account);
      if (known) return known;
      const made = slowed(simulatedBlobService(state, account));
      blobs.set(account, made);
      return made;
    },
    graph: graphClient({ token: async () => 'sim', fetch: graphFetch(state) }),
    ai: aiAccountsClient({ token: async () => 'sim', fetch: aiFetch(state) }),
  };
}

const config = parseConfig({
  ...JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')),
  mode: 'enforce',
  limits: { maxPrincipals: 2, maxStores: 3, maxObjects: 100_000, evidenceJobAbove: 1000 },
});

async function incident(blobs: number): Promise<void> {
  const parsed = parseAzureEvent(
    JSON.parse(readFileSync('examples/events/azure-defender-data-exfiltration.json', 'utf8')),
  );
  if (parsed.kind !== 'alerts') throw new Error(`example event: ${parsed.kind}`);
  const alert = parsed.alerts[0] as Alert;
  const state = emptyAzure();
  seedAzure(state, config, [alert]);
  const weights = state.containers.find((c) => !c.immutable);
  if (!weights) throw new Error('no asset container seeded');
  const prefix = config.azure?.assets[0]?.prefixes[0] ?? '';
  for (let i = Object.keys(weights.blobs).length; i < blobs; i++) {
    const name = `${prefix}shard-${String(i).padStart(6, '0')}.bin`;
    weights.blobs[name] = {
      etag: `"0x${i.toString(16)}"`,
      contentLength: 1 << 20,
      contentMD5: 'AAAAAAAAAAAAAAAAAAAAAA==',
      lastModified: new Date().toISOString(),
      body: '',
      snapshots: [],
    };
  }
  const store = slowStore();
  const journal = incidentJournal(store);
  const queued: FanoutMessage[] = [];
  const azure = clients(() => state);
  const location = (key: string) => `https://stevidence.blob.core.windows.net/evidence/${key}`;
  const registry = azureExecutors(azure, {
    guarded: [],
    evidence: store,
    notify: () => {},
    fanout: {
      above: config.limits.evidenceJobAbove,
      pageSize: 500,
      store,
      queue: {
        send: async (m) => {
          await sleep(LATENCY_MS);
          queued.push(m);
        },
      },
      location,
    },
  });
  const decision = decide(alert, config, { now: new Date(), packs: PACKS });
  if (decision.decision !== 'contain') throw new Error(`reference incident: ${decision.decision}`);
  const cutOff: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const start = performance.now();
  const executors = Object.fromEntries(
    Object.entries(registry as Record<string, Executor>).map(([kind, e]) => [
      kind,
      {
        ...e,
        apply: async (...args: Parameters<Executor['apply']>) => {
          const done = await e.apply(...args);
          if (args[0].category === 'revoke' || args[0].category === 'quarantine') {
            cutOff.push(performance.now() - start);
            blocked = Math.max(blocked, loop.max / 1e6);
          }
          return done;
        },
      },
    ]),
  );
  let peak = 0;
  let blocked = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 50);
  const result = await respond(
    { decision, alert, trigger: { kind: 'alert' } },
    { packs: PACKS, executors, journal },
  );
  const contained = performance.now() - start;
  const id = decision.incidentId ?? '';
  const pages = queued.length;
  await mapLimit(queued, WORKERS, (m) => workFanoutPage(m, { clients: azure, store, journal, location }));
  const complete = performance.now() - start;
  clearInterval(sampler);
  const final = await journal.load(id);
  const jobs = final ? incidentJobs(final) : [];
  const snapshots = Object.values(weights.blobs).reduce((n, b) => n + b.snapshots.length, 0);
  const evidence = state.containers.find((c) => c.immutable);
  const copies = Object.keys(evidence?.blobs ?? {}).filter((k) => k.includes('/blobs/')).length;
  const ended = jobs.every((j) => j.end?.status === 'complete');
  const cut = Math.max(...cutOff);
  console.log(
    `azure evidence, ${blobs.toLocaleString('en')} blobs (${LATENCY_MS} ms a call): cut off after ${cut.toFixed(0)} ms ` +
      `(${Math.floor(cut / LATENCY_MS)} rounds; the event loop stalled up to ${blocked.toFixed(0)} ms by then, the simulator listing in process); contain invocation done after ${(contained / 1000).toFixed(1)} s ` +
      `(${result.failure ? `failed: ${result.failure.message}` : 'ok'}); ` +
      (pages
        ? `${pages} pages queued, evidence complete after ${(complete / 1000).toFixed(1)} s with ${WORKERS} pages in flight; `
        : 'evidence in the invocation; ') +
      `${snapshots.toLocaleString('en')} snapshots, ${copies.toLocaleString('en')} copies ` +
      `(${snapshots === blobs && copies === blobs ? 'each blob once' : 'NOT each blob once'})` +
      `${pages ? `, job ${ended ? 'recorded complete' : 'NOT complete'}` : ''}; peak heap ${(peak / 2 ** 20).toFixed(0)} MB (the simulated estate included)`,
  );
}

await incident(1000);
await incident(100_000);
