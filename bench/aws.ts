/**
 * AWS figures, printed as text lines (`node bench/aws.ts`; `npm run bench` runs it):
 * 1. each Lambda zip from `serverless package` (target ≤ 300 KB);
 * 2. cold load of each bundle as a ratio to bare `node -e 0` in the same run, medians of spawned
 *    processes (target ≤ 3×);
 * 3. the reference incident (one role, one user key, two buckets, 200 objects including one of
 *    50 GB) through the real executors and S3 journal over in-memory IAM/S3/EventBridge that answer
 *    every call after 40 ms: sequential rounds until the attacker is cut off (target ≤ 3) and until
 *    the evidence is complete, object bytes through the function (target 0), parts in flight for
 *    the 50 GB copy (target ≥ 16).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { parseConfig } from '../core/config.ts';
import { decide } from '../core/decide.ts';
import type { ActionResult } from '../core/executor.ts';
import { incidentJournal } from '../core/journal.ts';
import { respond } from '../core/respond.ts';
import { clientsFor } from '../functions-aws/clients.ts';
import { awsExecutors } from '../functions-aws/executors/index.ts';
import { s3WriteOnceStore } from '../functions-aws/journal-store.ts';
import { LANE_SOCKETS } from '../functions-aws/lanes.ts';
import { PACKS } from '../packs/index.ts';
import { simulatedEventBridge } from '../sim/aws/eventbridge.ts';
import { simulatedIam } from '../sim/aws/iam.ts';
import { type Handlers, simulatedS3 } from '../sim/aws/s3.ts';
import { exfiltrationAlert, role } from '../test/support/alerts.ts';

const LATENCY_MS = 40;
const RUNS = 9;
const ACCOUNT = '111122223333';
const EVIDENCE = `ir-evidence-${ACCOUNT}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function zipsAndLoad(): void {
  const run = spawnSync(process.execPath, ['node_modules/.bin/serverless', 'package'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`serverless package failed:\n${run.stdout}${run.stderr}`);
  const zips = readdirSync('.serverless').filter((f) => f.endsWith('.zip'));
  const time = (args: string[], cwd?: string) => {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    return performance.now() - start;
  };
  const bare = median(Array.from({ length: RUNS }, () => time(['-e', '0'])));
  console.log(`bare node -e 0: ${bare.toFixed(0)} ms (median of ${RUNS})`);
  for (const zip of zips) {
    const bytes = statSync(join('.serverless', zip)).size;
    const dir = mkdtempSync(join(tmpdir(), 'tourniquet-bench-'));
    try {
      spawnSync('unzip', ['-q', join(process.cwd(), '.serverless', zip), '-d', dir]);
      const entry = readdirSync(join(dir, 'functions-aws/handlers')).find((f) => f.endsWith('.mjs')) ?? '';
      const code = `await import('./functions-aws/handlers/${entry}')`;
      const load = median(Array.from({ length: RUNS }, () => time(['--input-type=module', '-e', code], dir)));
      console.log(
        `aws zip ${zip}: ${(bytes / 1024).toFixed(0)} KB (target ≤ 300 KB); cold load ${load.toFixed(0)} ms = ${(load / bare).toFixed(2)}× bare node (target ≤ 3×)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

interface Call {
  name: string;
  key?: string | undefined;
  start: number;
  end: number;
}

/**
 * A client whose every call answers after LATENCY_MS from a simulator (sim/aws: real S3/IAM state,
 * called directly: no SDK middleware and no mock matching, whose CPU would be the bench's, not
 * Tourniquet's). Each client has its own pool of `sockets` connections, as the SDK's Node handler
 * has (`maxSockets`, 50 by default): calls beyond it wait for a free one, in order.
 */
function slow<T>(
  Client: new (config: object) => T,
  handlers: Handlers,
  calls: Call[],
  t0: number,
  sockets = 50,
): T {
  type Command = { constructor: { name: string }; input?: { Key?: string } };
  let busy = 0;
  const waiting: (() => void)[] = [];
  const send = async (command: Command) => {
    if (busy >= sockets) await new Promise<void>((r) => waiting.push(r));
    busy++;
    const name = command.constructor.name;
    const call = { name, key: command.input?.Key, start: performance.now() - t0, end: Number.NaN };
    calls.push(call);
    await sleep(LATENCY_MS);
    try {
      const handler = handlers[name];
      if (!handler) throw new Error(`the simulator does not implement ${name}`);
      return { $metadata: { httpStatusCode: 200 }, ...(await handler(command.input ?? {})) };
    } finally {
      call.end = performance.now() - t0;
      busy--;
      waiting.shift()?.();
    }
  };
  // The SDK's paginators check the client's class.
  return Object.assign(Object.create(Client.prototype), { send, config: {} }) as T;
}

/** The calls after which the attacker has no access: sessions denied, keys off, bucket denied. */
const SESSIONS = ['PutRolePolicyCommand', 'PutUserPolicyCommand'];
const CUTTING = [...SESSIONS, 'UpdateAccessKeyCommand', 'PutBucketPolicyCommand'];

/**
 * A call's round: one more than the latest round of the calls answered before it started, so CPU
 * time or a wait for a socket between calls cannot pass for a round of its own.
 */
function roundsOf(calls: readonly Call[]): Map<Call, number> {
  const byStart = [...calls].sort((a, b) => a.start - b.start);
  const byEnd = [...calls].sort((a, b) => a.end - b.end);
  const round = new Map<Call, number>();
  let done = 0;
  let latest = 0;
  for (const c of byStart) {
    while (done < byEnd.length && (byEnd[done] as Call).end <= c.start) {
      latest = Math.max(latest, round.get(byEnd[done] as Call) ?? 0);
      done++;
    }
    round.set(c, latest + 1);
  }
  return round;
}

interface Scenario {
  buckets: number;
  objects: number;
  /** false: one S3 client for everything (before the lanes). */
  lanes: boolean;
}

/**
 * The reference incident scaled: one role and one user key revoked, `buckets` asset buckets
 * quarantined, `objects` objects spread over them pinned and copied (one of 50 GB in the first).
 */
async function incident({ buckets, objects, lanes }: Scenario) {
  const s3 = simulatedS3({ pageSize: 1000 });
  const iam = simulatedIam();
  const eventBridge = simulatedEventBridge();
  const names = Array.from({ length: buckets }, (_, i) => (i === 0 ? 'models-prod' : `training-data-${i}`));
  for (const name of names) s3.bucket(name, { versioning: 'Enabled' });
  s3.bucket(EVIDENCE, { versioning: 'Enabled', objectLock: true });
  s3.object('models-prod', 'weights/model-00001.safetensors', { size: 50 * 1024 ** 3 });
  for (let i = 1; i < objects; i++) {
    const bucket = names[i % buckets] as string;
    s3.object(bucket, `weights/shard-${i}.bin`, { size: 64 * 1024 ** 2 });
  }
  iam.role('etl-job');
  iam.user('mallory', [{ id: 'AKIAIOSFODNN7EXAMPLE', status: 'Active' }]);

  const config = parseConfig({
    mode: 'enforce',
    limits: { maxStores: 50, maxObjects: Math.max(1000, objects) },
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      assets: names.map((bucket, i) => ({
        bucket,
        kind: i === 0 ? 'model-weights' : 'training-data',
        prefixes: ['weights/'],
      })),
      evidenceBucket: EVIDENCE,
    },
  });
  const alert = exfiltrationAlert({
    principal: role('etl-job'),
    resources: [
      ...names.map((b) => ({ kind: 'bucket' as const, id: `arn:aws:s3:::${b}` })),
      { kind: 'access-key', id: 'AKIAIOSFODNN7EXAMPLE', parent: `arn:aws:iam::${ACCOUNT}:user/mallory` },
    ],
  });
  const decision = decide(alert, config, { now: new Date(), packs: PACKS });
  const calls: Call[] = [];
  const start = performance.now();
  const shared = slow(S3Client, s3.handlers, calls, start, LANE_SOCKETS.evidence);
  const lane = (name: keyof typeof LANE_SOCKETS) =>
    lanes ? slow(S3Client, s3.handlers, calls, start, LANE_SOCKETS[name]) : shared;
  const home = {
    iam: slow(IAMClient, iam.handlers, calls, start),
    s3: lane('cutOff'),
    eventBridge: slow(EventBridgeClient, eventBridge.handlers, calls, start),
    evidenceS3: lane('evidence'),
  };
  const clients = clientsFor({ home, homeAccount: ACCOUNT, sts: slow(STSClient, {}, calls, start) });
  const finished: { result: ActionResult; at: number }[] = [];
  const { report } = await respond(
    { decision, alert, trigger: { kind: 'alert' } },
    {
      packs: PACKS,
      executors: awsExecutors(clients, { escalationBus: 'default', homeAccount: ACCOUNT }),
      journal: incidentJournal(s3WriteOnceStore(lane('journal'), EVIDENCE)),
      onProgress: (result) => finished.push({ result, at: performance.now() - start }),
    },
  );
  const roundOf = roundsOf(calls);
  const last = (which: readonly string[]) => {
    const cut = calls.filter((c) => which.includes(c.name));
    return {
      rounds: Math.max(...cut.map((c) => roundOf.get(c) ?? 0)),
      ms: Math.max(...cut.map((c) => c.end)),
    };
  };
  // Reading the journal back to seal it is a GetObject of Tourniquet's own entries, not object bytes.
  const getObjects = calls.filter(
    (c) => c.name === 'GetObjectCommand' && !c.key?.includes('/journal/'),
  ).length;
  // Parts in flight as the function sees them: UploadPartCopy calls started and not yet answered.
  const parts = calls.filter((c) => c.name === 'UploadPartCopyCommand');
  const inFlight = Math.max(
    ...parts.map((p) => parts.filter((q) => q.start <= p.start && q.end > p.start).length),
  );
  const copied = [...(s3.buckets.get(EVIDENCE)?.objects.keys() ?? [])].filter((k) =>
    k.includes('/objects/'),
  ).length;
  return {
    actions: decision.actions.length,
    calls: calls.length,
    sessions: last(SESSIONS),
    cutOff: last(CUTTING),
    containedRounds: Math.round(
      Math.max(...finished.filter((f) => f.result.category !== 'snapshot').map((f) => f.at)) / LATENCY_MS,
    ),
    evidence: Math.max(...finished.map((f) => f.at)),
    failed: report.results.filter((r) => r.outcome === 'failed').length,
    errors: [...new Set(report.results.filter((r) => r.outcome === 'failed').map((r) => r.error))].slice(
      0,
      3,
    ),
    copied,
    getObjects,
    inFlight,
  };
}

async function criticalPath(): Promise<void> {
  const ref = await incident({ buckets: 2, objects: 200, lanes: true });
  console.log(
    `aws reference incident (${ref.actions} actions, ${ref.calls} calls at ${LATENCY_MS} ms each): sessions denied after ${ref.sessions.rounds} rounds (target 2: claim with the before-state, deny); ` +
      `keys and buckets cut off after ${ref.cutOff.rounds} rounds (${ref.cutOff.ms.toFixed(0)} ms: claim ∥ read, before-entry, change); containment complete and journaled after ${ref.containedRounds} rounds`,
  );
  console.log(
    `aws evidence complete after ${Math.round(ref.evidence / LATENCY_MS)} rounds (${ref.evidence.toFixed(0)} ms): ${ref.copied} objects copied server-side; object bytes through the function: ${ref.getObjects === 0 ? 0 : 'GetObject called!'} (target 0); 50 GB copy: ${ref.inFlight} parts in flight (target ≥ 16)`,
  );
  for (const lanes of [false, true]) {
    for (const buckets of [1, 10, 50]) {
      const r = await incident({ buckets, objects: 1000, lanes });
      console.log(
        `aws ${lanes ? 'lanes ' : 'shared'} ${String(buckets).padStart(2)} buckets, 1,000 objects: sessions denied ${r.sessions.ms.toFixed(0)} ms (${r.sessions.rounds} rounds), ` +
          `everything cut off ${r.cutOff.ms.toFixed(0)} ms (${r.cutOff.rounds} rounds); evidence ${r.failed ? `FAILED (${r.failed} actions)` : 'complete'} ` +
          `after ${(r.evidence / 1000).toFixed(1)} s, ${r.copied} copies, ${r.calls} calls`,
      );
    }
  }
}

const only = process.argv.indexOf('--buckets');
if (only > 0) {
  // One scaled incident, e.g. `node bench/aws.ts --buckets 50 [--objects 100000]`, for profiling.
  const objects = process.argv.indexOf('--objects');
  const scenario = {
    buckets: Number(process.argv[only + 1]),
    objects: objects > 0 ? Number(process.argv[objects + 1]) : 1000,
    lanes: true,
  };
  console.log(scenario, await incident(scenario));
  process.exit(0);
}
if (!process.argv.includes('--no-package')) zipsAndLoad();
await criticalPath();
