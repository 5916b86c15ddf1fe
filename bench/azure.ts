/**
 * Azure figures, printed as text lines (`node bench/azure.ts`; `npm run bench` runs it):
 * 1. the deployment zip's size (target ≤ 1.2 MB);
 * 2. cold load of the bundle as a ratio to bare `node -e 0` in the same run, medians of spawned
 *    processes (target ≤ 4×): the entry the host loads, and the entry plus every lazily loaded
 *    chunk (what the first invocation adds);
 * 3. critical-path rounds until the attacker is cut off, with a fake ARM, Blob service and journal
 *    that answer every call after 40 ms (target ≤ 3).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { StorageManagementClient } from '@azure/arm-storage';
import type { BlobServiceClient } from '@azure/storage-blob';
import { unzipSync } from 'fflate';
import { packageAzure } from '../build/package-azure.ts';
import type { Alert } from '../core/alert.ts';
import { parseConfig } from '../core/config.ts';
import { decide } from '../core/decide.ts';
import type { Executor } from '../core/executor.ts';
import { incidentJournal } from '../core/journal.ts';
import { respond } from '../core/respond.ts';
import { parseAzureEvent } from '../functions-azure/events/index.ts';
import { azureExecutors } from '../functions-azure/executors/index.ts';
import { PACKS } from '../packs/index.ts';
import { LATENCY_MS, sleep, slowStore } from './slow-store.ts';

const RUNS = 9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function sizeAndLoad(): Promise<void> {
  const built = await packageAzure();
  console.log(
    `azure zip: ${(built.bytes / 1024 / 1024).toFixed(2)} MB (target ≤ 1.2 MB), bundle ${(built.bundleBytes / 1024).toFixed(0)} KiB in ${built.files.length} files`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'tourniquet-bench-'));
  try {
    for (const [name, data] of Object.entries(unzipSync(readFileSync(built.zip)))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    // The host provides @azure/functions-core; a stub that accepts registrations stands in for it.
    mkdirSync(join(dir, 'node_modules/@azure/functions-core'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules/@azure/functions-core/index.js'),
      'module.exports = { registerFunction() { return { dispose() {} }; }, setProgrammingModel() {}, getProgrammingModel() {}, registerHook() { return { dispose() {} }; }, log() {} };\n',
    );
    const chunks = built.files.filter((f) => f.startsWith('dist/chunks/'));
    writeFileSync(join(dir, 'entry.mjs'), "await import('./dist/index.mjs');\n");
    writeFileSync(
      join(dir, 'all.mjs'),
      `await import('./dist/index.mjs');\nawait Promise.all(${JSON.stringify(chunks.map((c) => `./${c}`))}.map((c) => import(c)));\n`,
    );
    const time = (args: string[]) => {
      const start = performance.now();
      const run = spawnSync(process.execPath, args, { cwd: dir, stdio: 'ignore' });
      if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}`);
      return performance.now() - start;
    };
    const bare: number[] = [];
    const entry: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(time(['-e', '0']));
      entry.push(time(['entry.mjs']));
      all.push(time(['all.mjs']));
    }
    const b = median(bare);
    console.log(`node -e 0: ${b.toFixed(0)} ms (median of ${RUNS})`);
    console.log(
      `azure cold load, entry the host loads: ${median(entry).toFixed(0)} ms = ${(median(entry) / b).toFixed(1)}× bare node (target ≤ 4×)`,
    );
    console.log(
      `azure cold load, entry + SDK chunks of the first invocation: ${median(all).toFixed(0)} ms = ${(median(all) / b).toFixed(1)}× bare node`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ARM over a fake HTTP client that answers everything after LATENCY_MS. */
function slowArm() {
  const account = {
    id: 'x',
    name: 'stweights',
    properties: { networkAcls: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } },
  };
  const assignment = (sub: string) => ({
    value: [
      {
        id: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747`,
        name: 'b0f43c54-e787-4862-89b1-a653fa9cf747',
        properties: {
          roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/x',
          principalId: ATTACKER,
          scope: `/subscriptions/${sub}`,
        },
      },
    ],
  });
  const headers = new Map([['content-type', 'application/json']]);
  const httpClient = {
    async sendRequest(request: { method: string; url: string }) {
      await sleep(LATENCY_MS);
      const body = request.url.includes('roleAssignments?')
        ? assignment(SUB)
        : request.url.includes('storageAccounts')
          ? account
          : {};
      return {
        request,
        status: 200,
        headers: {
          get: (n: string) => headers.get(n.toLowerCase()),
          has: (n: string) => headers.has(n.toLowerCase()),
          set() {},
          delete() {},
          toJSON: () => Object.fromEntries(headers),
          [Symbol.iterator]: () => headers.entries(),
        },
        bodyAsText: JSON.stringify(body),
      };
    },
  };
  const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const options = { httpClient: httpClient as never, retryOptions: { maxRetries: 0 } };
  return {
    authorization: (sub: string) => new AuthorizationManagementClient(credential, sub, options),
    storage: (sub: string) => new StorageManagementClient(credential, sub, options),
  };
}

/** A Blob service whose container calls answer after LATENCY_MS: one stored policy, no blobs. */
function slowBlob(): BlobServiceClient {
  const container = {
    async getAccessPolicy() {
      await sleep(LATENCY_MS);
      return { signedIdentifiers: [{ id: 'partner-read', accessPolicy: { permissions: 'r' } }] };
    },
    async setAccessPolicy() {
      await sleep(LATENCY_MS);
      return {};
    },
    async *listBlobsFlat() {
      await sleep(LATENCY_MS);
      yield* [];
    },
  };
  return { getContainerClient: () => container } as unknown as BlobServiceClient;
}

const SUB = '4a1b2c3d-5e6f-4789-8abc-def012345678';
/** The `azure` section docs/azure.md proposes for examples/tourniquet.config.json. */
const EXAMPLE_AZURE = {
  tenantId: 'b6c1a5e2-3f4d-4e8a-9c71-2d5e8f0a1b3c',
  subscriptions: [SUB],
  responders: ['0d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'],
  protectedPrincipals: ['e1e1e1e1-2b2b-4c3c-8d4d-5e5e5e5e5e5e'],
  assets: [
    {
      storageAccount: `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stweights`,
      containers: ['model-weights'],
      kind: 'model-weights',
      prefixes: ['checkpoints/'],
    },
  ],
  evidence: {
    storageAccount: `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Storage/storageAccounts/stevidence`,
    container: 'evidence',
  },
  knownIdentities: ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
  responderNetwork: {
    virtualNetworkSubnetIds: [
      `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Network/virtualNetworks/vnet-ir/subnets/snet-func`,
    ],
    ipRanges: ['198.51.100.0/28'],
  },
};
const ATTACKER = '6f1c2d3e-4a5b-4c6d-9e7f-8a9b0c1d2e3f';

async function criticalPath(): Promise<void> {
  const config = parseConfig({ mode: 'enforce', azure: EXAMPLE_AZURE });
  const parsed = parseAzureEvent(
    JSON.parse(readFileSync('examples/events/azure-eventgrid-listkeys.json', 'utf8')),
  );
  if (parsed.kind !== 'alerts') throw new Error(`example event: ${parsed.kind}`);
  const alert = parsed.alerts[0] as Alert;
  const decision = decide(alert, { ...config, mode: 'enforce' }, { now: new Date(), packs: PACKS });
  const evidence = slowStore();
  const arm = slowArm();
  const registry = azureExecutors(
    {
      ...arm,
      blob: slowBlob,
      graph: { getServicePrincipal: async () => undefined, setAccountEnabled: async () => {} },
      ai: { get: async () => undefined, update: async () => {}, regenerateKey: async () => {} },
    },
    { guarded: [], evidence, notify: () => {} },
  );
  const cutOff: Record<string, number> = {};
  const start = performance.now();
  const executors = Object.fromEntries(
    Object.entries(registry as Record<string, Executor>).map(([kind, e]) => [
      kind,
      {
        ...e,
        apply: async (...args: Parameters<Executor['apply']>) => {
          const done = await e.apply(...args);
          const action = args[0];
          if (action.category === 'revoke' || action.category === 'quarantine')
            cutOff[`${action.id} ${action.kind}`] = performance.now() - start;
          return done;
        },
      },
    ]),
  );
  await respond(
    { decision, alert, trigger: { kind: 'alert' } },
    { packs: PACKS, executors, journal: incidentJournal(evidence) },
  );
  const last = Math.max(...Object.values(cutOff));
  // Every round waits LATENCY_MS; what is left over is CPU (SDK pipelines, JSON), well under a round.
  console.log(
    `azure critical path (${alert.type}): attacker cut off after ${Math.floor(last / LATENCY_MS)} rounds of ${LATENCY_MS} ms ` +
      `(${last.toFixed(0)} ms; target ≤ 3): ${Object.entries(cutOff)
        .map(([a, t]) => `${a} ${t.toFixed(0)} ms`)
        .join(', ')}`,
  );
}

await sizeAndLoad();
await criticalPath();
