/**
 * The fault-injection soak over the REAL executors: the AWS executors on SDK clients served by the
 * simulated S3 and IAM (sim/aws), the Azure executors on the ARM SDK clients over the simulated ARM
 * and the simulated Blob service (sim/azure) — the same composition as `tourniquet exercise`.
 * Faults are injected into every SDK call below the executors (throttling, 5xx, a timeout after the
 * change was made, process death with or without the change), and into every journal write.
 * After every incident has been contained and then released, the invariants are checked on the
 * simulated estate itself, not on a model of it.
 */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { StorageManagementClient } from '@azure/arm-storage';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { IncidentInProgressError, IncidentNotFoundError } from '../../core/errors.ts';
import type { HandleDeps } from '../../core/handle.ts';
import { actionStatus, incidentJournal } from '../../core/journal.ts';
import { verifyChain } from '../../core/journal-chain.ts';
import { mapLimit } from '../../core/map-limit.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { respond } from '../../core/respond.ts';
import { awsExecutors } from '../../functions-aws/executors/index.ts';
import { aiAccountsClient } from '../../functions-azure/ai-accounts-client.ts';
import type { AzureClients } from '../../functions-azure/clients.ts';
import { graphClient } from '../../functions-azure/graph-client.ts';
import { buildAzureRuntime } from '../../functions-azure/runtime.ts';
import { PACKS } from '../../packs/index.ts';
import { simulatedAwsClients } from '../../sim/aws/clients.ts';
import type { Handlers } from '../../sim/aws/s3.ts';
import { aiFetch } from '../../sim/azure/ai.ts';
import { armHttpClient } from '../../sim/azure/arm.ts';
import { simulatedBlobService } from '../../sim/azure/blob.ts';
import { graphFetch } from '../../sim/azure/graph.ts';
import { simulatedWorld } from '../../sim/world.ts';
import {
  awsAlert,
  azureAlert,
  MAX_DELIVERIES,
  MINUTE,
  noWait,
  type SoakFigures,
  soakConfig,
  T0,
  turns,
} from './run-soak.ts';
import { FAULTS, type Invocation, invocation, type Rng, seeded, soakCloud } from './soak-cloud.ts';

/** The in-memory soak's figures, but the per-kind fault counts and late changes (run-soak.ts). */
export type SdkSoakFigures = Omit<SoakFigures, 'faults' | 'lateChanges'>;

const SDK_ATTEMPTS = 3;
const never = () => new Promise<never>(() => {});
/** Blob client methods that return a client or a listing, not a request. */
const SYNC =
  /^(get(Container|Blob|BlockBlob|AppendBlob|PageBlob)Client|withSnapshot|listBlobsFlat|listBlobsByHierarchy|generate)/;
const MUTATION = /^(Put|Delete|Update|Attach|Detach|Create|Copy|Upload|Complete|Abort|Tag|Untag|Restore)/;

/** Draws a fault for one call of a live invocation; `change` runs at most once. */
function faults(rng: Rng, counts: Record<string, number>) {
  return async <T>(
    inv: Invocation,
    mutation: boolean,
    change: () => Promise<T>,
    errors: { throttle: () => Error; server: () => Error; timeout: () => Error },
  ): Promise<T> => {
    if (inv.dead) return never();
    await turns(rng.int(3));
    if (inv.dead) return never();
    const { throttle, serverError, death, timeoutAfterChange } = FAULTS;
    // The SDKs retry throttling and 5xx themselves (3 attempts in the standard retry mode, the Azure
    // pipelines' retry policy): what reaches the executor is three in a row.
    let r = rng.next();
    for (let attempt = 1; r < throttle + serverError; attempt++) {
      const throttled = r < throttle;
      counts[throttled ? 'throttle' : 'serverError'] =
        (counts[throttled ? 'throttle' : 'serverError'] ?? 0) + 1;
      if (attempt === SDK_ATTEMPTS) throw throttled ? errors.throttle() : errors.server();
      r = rng.next();
    }
    if (mutation && r < throttle + serverError + death) {
      counts.death = (counts.death ?? 0) + 1;
      if (rng.chance(0.5)) await change();
      inv.kill();
      return never();
    }
    const value = await change();
    if (mutation && r < throttle + serverError + death + timeoutAfterChange) {
      counts.timeoutAfterChange = (counts.timeoutAfterChange ?? 0) + 1;
      throw errors.timeout();
    }
    return value;
  };
}

const awsErrors = {
  throttle: () => s3Like('SlowDown', 503, 'Please reduce your request rate (injected)'),
  server: () => s3Like('InternalError', 500, 'We encountered an internal error (injected)'),
  timeout: () =>
    Object.assign(new Error('socket hang up after the change (injected)'), { name: 'TimeoutError' }),
};
function s3Like(name: string, status: number, message: string) {
  return new S3ServiceException({ name, $fault: 'server', $metadata: { httpStatusCode: status }, message });
}
const azureErrors = {
  throttle: () => restError(429, 'TooManyRequests'),
  server: () => restError(503, 'ServerBusy'),
  timeout: () =>
    Object.assign(new Error('socket hang up after the change (injected)'), {
      code: 'ETIMEDOUT',
      name: 'RestError',
    }),
};
function restError(statusCode: number, code: string) {
  return Object.assign(new Error(`${code} (injected)`), { name: 'RestError', statusCode, code });
}

/**
 * Runs `incidents` incidents, half on each cloud, each delivered 1–3 times concurrently with faults
 * in every call, then releases every one (again with faults, retried until done) and checks:
 * every action applied or reported failed; every journal consistent; after the releases, the
 * simulated estate equal to what it was before, except what release keeps by design (evidence,
 * snapshots, escalations, rotated keys: docs/operations.md); no protected principal changed;
 * no evidence taken twice.
 */
export async function runSdkSoak(options: { seed: number; incidents: number }): Promise<SdkSoakFigures> {
  const rng = seeded(options.seed);
  const config = ownStores(soakConfig(), options.incidents);
  const world = simulatedWorld();
  const counts: Record<string, number> = {};
  const draw = faults(rng, counts);
  const problems: string[] = [];
  const journalStore = memoryStore();
  // The journal writes' faults are the soak cloud's (throttling, a write made and its answer lost).
  const journalFaults = soakCloud(rng, []);
  let clock = T0;
  let next = 0;
  const live = new Set<Invocation>();

  // The incidents, and the estate they act on.
  const incidents: { alert: Alert; decision: ReturnType<typeof decide> & { incidentId: string } }[] = [];
  for (let n = 0; incidents.length < options.incidents; n++) {
    const k = incidents.length;
    const alert = ownStore(k % 2 === 0 ? awsAlert(rng, n) : azureAlert(rng, n), k);
    const decision = decide(alert, config, { packs: PACKS, now: new Date(T0) });
    if (decision.decision !== 'contain' || !decision.incidentId) continue;
    incidents.push({ alert, decision: decision as (typeof incidents)[number]['decision'] });
  }
  world.seed(
    config,
    incidents.map((i) => i.alert),
  );
  const before = estate(world);

  const awsHandlers = (inv: Invocation, handlers: Handlers): Handlers =>
    Object.fromEntries(
      Object.entries(handlers).map(([name, h]) => [
        name,
        (input: unknown) => draw(inv, MUTATION.test(name), () => h(input), awsErrors),
      ]),
    );
  const azureClients = (inv: Invocation): AzureClients => {
    const state = world.azureState;
    const arm = armHttpClient(state);
    const httpClient = {
      sendRequest: (request: Parameters<typeof arm.sendRequest>[0]) =>
        draw(inv, request.method !== 'GET', () => arm.sendRequest(request), azureErrors),
    };
    const credential = { getToken: async () => ({ token: 'soak', expiresOnTimestamp: T0 + 3_600_000 }) };
    const options = { httpClient: httpClient as never, retryOptions: { maxRetries: 0 } };
    return {
      authorization: (sub) => new AuthorizationManagementClient(credential, sub, options),
      storage: (sub) => new StorageManagementClient(credential, sub, options),
      blob: (account) => faulty(inv, simulatedBlobService(state, account)),
      graph: graphClient({ token: async () => 'soak', fetch: graphFetch(state) }),
      ai: aiAccountsClient({ token: async () => 'soak', fetch: aiFetch(state) }),
    };
  };
  /** Every async call of a Blob client (and of the clients it hands out) draws a fault. */
  const faulty = <T extends object>(inv: Invocation, target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const v = Reflect.get(t, key);
        if (typeof v !== 'function' || String(key).startsWith('generate')) return v;
        return (...args: unknown[]) => {
          if (!SYNC.test(String(key))) {
            const mutation = !/^(get|list|download|exists)/.test(String(key));
            return draw(inv, mutation, async () => v.apply(t, args), azureErrors);
          }
          const r = v.apply(t, args);
          return r && typeof r === 'object' && !(Symbol.asyncIterator in r) ? faulty(inv, r) : r;
        };
      },
    });

  const depsOf = (inv: Invocation, alert: Alert): HandleDeps => {
    const journal = incidentJournal(journalFaults.store(inv, journalStore));
    const common = {
      config,
      packs: PACKS,
      journal,
      now: () => new Date(clock),
      deadline: new Date(inv.deadline),
      retry: noWait,
    };
    if (alert.cloud === 'aws') {
      const clients = simulatedAwsClients({
        s3: awsHandlers(inv, world.s3.handlers),
        iam: awsHandlers(inv, world.iam.handlers),
        eventBridge: awsHandlers(inv, world.eventBridge.handlers),
      });
      const executors = awsExecutors(async () => clients, {
        escalationBus: config.aws?.escalationBus ?? 'default',
        homeAccount: config.aws?.accounts[0] ?? '',
      });
      return { ...common, executors };
    }
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const runtime = buildAzureRuntime(config, azureClients(inv), {
      retry: noWait,
      copy: { pollIntervalMs: 1 },
      log: quiet,
      evidence: faulty(inv, simulatedBlobService(world.azureState, 'stevidence')).getContainerClient(
        'evidence',
      ),
    });
    return { ...runtime.deps(), ...common };
  };

  type Ran<R> = { kind: 'ran'; value: R } | { kind: 'threw'; error: unknown } | { kind: 'died' };
  async function invoke<R>(alert: Alert, fn: (deps: HandleDeps) => Promise<R>): Promise<Ran<R>> {
    const inv = invocation(++next, clock + 15 * MINUTE);
    live.add(inv);
    try {
      return await Promise.race([
        fn(depsOf(inv, alert)).then(
          (value): Ran<R> => ({ kind: 'ran', value }),
          (error): Ran<R> => ({ kind: 'threw', error }),
        ),
        inv.died.then((): Ran<R> => ({ kind: 'died' })),
      ]);
    } finally {
      live.delete(inv);
    }
  }
  const advance = () => {
    clock += 16 * MINUTE;
    for (const inv of live) if (inv.deadline <= clock) inv.kill();
  };

  let deliveries = 0;
  let releases = 0;
  const reported = new Map<string, Map<string, string>>();
  async function until(incident: (typeof incidents)[number], what: 'contain' | 'release'): Promise<void> {
    let busy = 0;
    let last = '';
    const id = incident.decision.incidentId;
    for (let n = 0; n < MAX_DELIVERIES; n++) {
      if (what === 'contain') deliveries++;
      else releases++;
      type Settled = { report: { results: { actionId: string; outcome: string }[] }; failure?: unknown };
      const ran = await invoke(
        incident.alert,
        (deps): Promise<Settled> =>
          what === 'contain'
            ? respond(
                { decision: incident.decision, alert: incident.alert, trigger: { kind: 'alert' } },
                deps,
              )
            : release({ incidentId: id, approver: 'soak', reason: 'soak' }, deps),
      );
      if (ran.kind === 'ran') {
        const results = ran.value.report.results;
        const mine = reported.get(id) ?? new Map<string, string>();
        for (const r of results) if (what === 'contain') mine.set(r.actionId, r.outcome);
        reported.set(id, mine);
        if (!ran.value.failure) return;
        last = `${String(ran.value.failure).slice(0, 200)} ${JSON.stringify(results.filter((r) => r.outcome !== 'applied' && r.outcome !== 'released')).slice(0, 300)}`;
      } else last = ran.kind === 'threw' ? String(ran.error).slice(0, 200) : 'died';
      const refused =
        ran.kind === 'threw' &&
        (ran.error instanceof IncidentInProgressError || ran.error instanceof IncidentNotFoundError);
      if (ran.kind === 'threw' && !refused && !/injected/.test(String(ran.error)))
        problems.push(`${id}: ${what} threw ${String(ran.error).slice(0, 200)}`);
      if (++busy >= 3) {
        advance();
        busy = 0;
      } else await turns(20);
    }
    problems.push(`${id}: ${what} not done after ${MAX_DELIVERIES} deliveries (last: ${last})`);
  }

  await mapLimit(incidents, 8, async (incident) => {
    const copies = 1 + rng.int(3);
    await Promise.all(
      Array.from({ length: copies }, () => turns(rng.int(100)).then(() => until(incident, 'contain'))),
    );
  });
  for (const inv of live) inv.kill();
  advance();

  // Every action applied or reported failed, journals consistent.
  const journal = incidentJournal(journalStore);
  const at = new Date(clock + 60 * MINUTE);
  let lost = 0;
  let inconsistent = 0;
  let actions = 0;
  for (const incident of incidents) {
    const id = incident.decision.incidentId;
    const state = await journal.load(id);
    if (!state) {
      inconsistent++;
      problems.push(`${id}: no journal`);
      continue;
    }
    let bad = state.anomalies.length > 0 || verifyChain(state.entries).status === 'broken';
    for (const action of incident.decision.actions) {
      actions++;
      const status = actionStatus(action, state.phases.contain.get(action.id), at);
      if (status.status !== 'done' && reported.get(id)?.get(action.id) !== 'failed') {
        lost++;
        problems.push(`${id}/${action.id} (${action.kind}): ${status.status}`);
      }
      for (const a of state.phases.contain.get(action.id)?.attempts ?? []) {
        const claimed = a.attempt === 1 && state.record.befores?.[action.id];
        if ((a.after && !a.before && !claimed) || (a.before && a.before.inverse !== action.inverse)) {
          bad = true;
          problems.push(`${id}/${action.id}: attempt ${a.attempt} lacks its before-state or inverse`);
        }
      }
    }
    if (bad) inconsistent++;
  }
  const contained = estate(world);
  const doubled = evidenceTwice(contained, problems);

  // Release every incident; afterwards the estate is what it was, but for what release keeps.
  await mapLimit(incidents, 8, (incident) => until(incident, 'release'));
  for (const inv of live) inv.kill();
  const after = estate(world);
  const wrongRestores = diff(before.restorable, after.restorable, problems);
  const protectedTouched = diff(before.guarded, after.guarded, problems, 'protected principal changed');

  return {
    seed: options.seed,
    incidents: incidents.length,
    aws: incidents.filter((i) => i.alert.cloud === 'aws').length,
    azure: incidents.filter((i) => i.alert.cloud === 'azure').length,
    deliveries,
    releases,
    injectedFaults:
      Object.values(counts).reduce((a, b) => a + b, 0) +
      Object.values(journalFaults.faults).reduce((a, b) => a + b, 0),
    actions,
    lost,
    doubled,
    inconsistentJournals: inconsistent,
    wrongRestores,
    protectedTouched,
    problems,
  };
}

/**
 * Each incident acts on stores of its own (a bucket, a storage account), so that "release restores
 * exactly the recorded state" is a property of each incident. Incidents that share a store are the
 * in-memory soak's (test/soak/run-soak.ts) and the overlap tests' business.
 */
function ownStores(config: Config, n: number): Config {
  const aws = config.aws;
  const azure = config.azure;
  if (!aws || !azure) throw new Error('the soak configuration names both clouds');
  const base = azure.assets[0];
  if (!base) throw new Error('the soak configuration has an Azure asset');
  return {
    ...config,
    limits: { ...config.limits, maxStores: 3 },
    aws: {
      ...aws,
      assets: Array.from({ length: n }, (_, i) => ({
        ...(aws.assets[0] as (typeof aws.assets)[number]),
        bucket: `soak-${i}`,
        prefixes: ['weights/'],
      })),
    },
    azure: {
      ...azure,
      assets: Array.from({ length: n }, (_, i) => ({
        ...base,
        storageAccount: base.storageAccount.replace(/stweights$/, `stsoak${i}`),
      })),
    },
  };
}

function ownStore(alert: Alert, k: number): Alert {
  const text = JSON.stringify(alert)
    .replaceAll('models-prod', `soak-${k}`)
    .replaceAll('training-data', `soak-${k}`)
    .replaceAll('stweights', `stsoak${k}`);
  return JSON.parse(text) as Alert;
}

/**
 * The estate as plain JSON, split into what release must restore exactly and the guarded
 * principals. Kept by design, so left out: the evidence bucket and container, blob snapshots,
 * escalation events, the storage account keys Tourniquet rotated and the user delegation keys it
 * revoked (neither can be un-rotated: docs/azure.md, residual windows), version ids and etags S3
 * and Storage mint anew, and legal holds (checked by their own tests).
 */
function estate(world: ReturnType<typeof simulatedWorld>) {
  const saved = world.save();
  const buckets = Object.fromEntries(
    saved.aws.s3.buckets
      .filter((b) => !b.name.startsWith('ir-evidence'))
      .map(({ name, objects, ...b }) => [
        name,
        {
          policy: b.policy ? JSON.parse(b.policy) : null,
          publicAccessBlock: b.publicAccessBlock ?? null,
          tags: b.tags ?? [],
          versioning: b.versioning ?? null,
          objects: objects.map(([k, vs]) => [k, vs.length]),
        },
      ]),
  );
  const azure = saved.azure;
  const guardedNames = ['ir-responder', 'breakglass'];
  const iam = { roles: saved.aws.iam.roles, users: saved.aws.iam.users };
  const pick = (entries: unknown, keep: (name: string) => boolean) =>
    Object.fromEntries((entries as [string, unknown][]).filter(([name]) => keep(name)));
  return {
    restorable: {
      buckets,
      roles: pick(iam.roles, (n) => !guardedNames.includes(n)),
      users: pick(iam.users, (n) => !guardedNames.includes(n)),
      accounts: azure.accounts.map(({ keyGeneration: _k, delegationKeysRevokedAt: _d, ...a }) => ({
        ...a,
        properties: {
          ...a.properties,
          // ARM answers an account without resource access rules with an empty list.
          networkAcls: { resourceAccessRules: [], ...a.properties.networkAcls },
        },
      })),
      // Restored assignments keep their names; the list's order is ARM's.
      assignments: [...azure.assignments].sort((x, y) => x.id.localeCompare(y.id)),
      servicePrincipals: azure.servicePrincipals,
      containers: azure.containers
        .filter((c) => !c.immutable)
        .map((c) => ({ ...c, blobs: Object.keys(c.blobs) })),
      aiAccounts: azure.aiAccounts,
    },
    guarded: {
      roles: pick(iam.roles, (n) => guardedNames.includes(n)),
      users: pick(iam.users, (n) => guardedNames.includes(n)),
    },
    evidence: {
      s3: saved.aws.s3.buckets
        .filter((b) => b.name.startsWith('ir-evidence'))
        .flatMap((b) => b.objects.map(([k, vs]) => [k, vs.length] as const)),
      blobs: azure.containers
        .filter((c) => !c.immutable)
        .flatMap((c) =>
          Object.entries(c.blobs).map(
            ([k, b]) => [`${c.account}/${c.name}/${k}`, b.snapshots.length] as const,
          ),
        ),
    },
  };
}

/**
 * Evidence taken twice: an S3 evidence copy with two versions (each incident copies to its own
 * keys), or a blob snapshotted twice (each incident has its own storage account).
 */
function evidenceTwice(e: ReturnType<typeof estate>, problems: string[]): number {
  let n = 0;
  for (const [name, snapshots] of e.evidence.blobs) {
    if (snapshots > 1) {
      n++;
      problems.push(`blob ${name} snapshotted ${snapshots} times`);
    }
  }
  for (const [key, versions] of e.evidence.s3) {
    if (versions > 1 && !key.includes('/journal/') && !key.includes('/pack')) {
      n++;
      problems.push(`evidence ${key} written ${versions} times`);
    }
  }
  return n;
}

function diff(a: unknown, b: unknown, problems: string[], label = 'not restored'): number {
  let n = 0;
  const walk = (x: unknown, y: unknown, path: string) => {
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      for (const [i, v] of x.entries()) walk(v, y[i], `${path}[${i}]`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y as object)]))
        walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    n++;
    problems.push(
      `${label}: ${path}: ${JSON.stringify(x)?.slice(0, 160)} → ${JSON.stringify(y)?.slice(0, 160)}`,
    );
  };
  walk(a, b, '');
  return n;
}
