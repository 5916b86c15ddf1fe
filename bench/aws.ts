/**
 * AWS figures, printed as text lines (`node bench/aws.ts`; `npm run bench` runs it):
 * 1. each Lambda zip from `serverless package` (target ≤ 300 KB for the event-path functions; the
 *    scheduled posture and grants functions are printed without one);
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
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { parseConfig } from '../core/config.ts';
import { decide } from '../core/decide.ts';
import { recordJobEnd } from '../core/evidence-jobs.ts';
import type { ActionResult } from '../core/executor.ts';
import { incidentJournal } from '../core/journal.ts';
import { respond } from '../core/respond.ts';
import { clientsFor } from '../functions-aws/clients.ts';
import { describeJobEnd } from '../functions-aws/evidence-job-end.ts';
import { awsExecutors } from '../functions-aws/executors/index.ts';
import { s3WriteOnceStore } from '../functions-aws/journal-store.ts';
import { LANE_SOCKETS } from '../functions-aws/lanes.ts';
import { PACKS } from '../packs/index.ts';
import { simulatedEventBridge } from '../sim/aws/eventbridge.ts';
import { simulatedIam } from '../sim/aws/iam.ts';
import { type Handlers, s3Error, simulatedS3 } from '../sim/aws/s3.ts';
import { exfiltrationAlert, role } from '../test/support/alerts.ts';

const LATENCY_MS = 40;
const SCHEDULED = new Set(['posture.zip', 'grants.zip']);
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
      // The scheduled functions (posture, grants) are off the containment path: no size or load target.
      const scheduled = SCHEDULED.has(zip);
      console.log(
        `aws zip ${zip}: ${(bytes / 1024).toFixed(0)} KB${scheduled ? ' (scheduled, no target)' : ' (target ≤ 300 KB)'}; cold load ${load.toFixed(0)} ms = ${(load / bare).toFixed(2)}× bare node${scheduled ? '' : ' (target ≤ 3×)'}`,
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
  for (const name of names) s3.bucket(name, { versioning: 'Enabled', objectLock: true });
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
  const handlers = listedOnce(s3, names);
  const start = performance.now();
  const shared = slow(S3Client, handlers, calls, start, LANE_SOCKETS.evidence);
  const lane = (name: keyof typeof LANE_SOCKETS) =>
    lanes ? slow(S3Client, handlers, calls, start, LANE_SOCKETS[name]) : shared;
  const home = {
    iam: slow(IAMClient, iam.handlers, calls, start),
    s3: lane('cutOff'),
    eventBridge: slow(EventBridgeClient, eventBridge.handlers, calls, start),
    evidenceS3: lane('evidence'),
  };
  const clients = clientsFor({ home, homeAccount: ACCOUNT, sts: slow(STSClient, {}, calls, start) });
  const engine = batchEngine(s3);
  const evidenceJobs = {
    above: config.limits.evidenceJobAbove,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/tourniquet-prod-batch-operations`,
    homeAccount: ACCOUNT,
    evidenceBucket: EVIDENCE,
    control: async () => slow(S3ControlClient, engine.handlers, calls, start),
  };
  const journal = incidentJournal(s3WriteOnceStore(lane('journal'), EVIDENCE));
  const finished: { result: ActionResult; at: number }[] = [];
  const { report } = await respond(
    { decision, alert, trigger: { kind: 'alert' } },
    {
      packs: PACKS,
      executors: awsExecutors(clients, { escalationBus: 'default', homeAccount: ACCOUNT, evidenceJobs }),
      journal,
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
    (c) => c.name === 'GetObjectCommand' && !c.key?.includes('/journal/') && !c.key?.includes('/batch/'),
  ).length;
  // Parts in flight as the function sees them: UploadPartCopy calls started and not yet answered.
  const parts = calls.filter((c) => c.name === 'UploadPartCopyCommand');
  const inFlight = Math.max(
    ...parts.map((p) => parts.filter((q) => q.start <= p.start && q.end > p.start).length),
  );
  const inFunction = performance.now() - start;
  // The engine runs the jobs (not timed: that is S3's work) and each reports its end.
  const jobs = await engine.runAll();
  const ends = [];
  for (const jobId of jobs) {
    const report = await describeJobEnd(await evidenceJobs.control(), home.evidenceS3, ACCOUNT, jobId);
    if (report) ends.push(await recordJobEnd(report, { journal }));
  }
  const copied = [...(s3.buckets.get(EVIDENCE)?.objects.keys() ?? [])].filter((k) =>
    k.includes('/objects/'),
  ).length;
  const held = names.reduce(
    (n, b) =>
      n + [...(s3.buckets.get(b)?.objects.values() ?? [])].filter((v) => v.at(-1)?.legalHold === 'ON').length,
    0,
  );
  const journalBytes = (await journal.entries(decision.incidentId ?? '')).reduce(
    (n, e) => n + e.text.length,
    0,
  );
  return {
    actions: decision.actions.length,
    calls: calls.length,
    sessions: last(SESSIONS),
    cutOff: last(CUTTING),
    containedRounds: Math.round(
      Math.max(...finished.filter((f) => f.result.category !== 'snapshot').map((f) => f.at)) / LATENCY_MS,
    ),
    evidence: Math.max(...finished.map((f) => f.at)),
    inFunction,
    jobs: jobs.length,
    jobsEnded: ends.filter((e) => e.status === 'recorded').length,
    pending: ends.flatMap((e) => (e.status === 'recorded' ? [e.pending.length] : [])).at(-1),
    held,
    journalBytes,
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

/**
 * The simulator sorts a bucket's keys on every listing call, which at 100,000 objects is the
 * simulator's CPU, not Tourniquet's (S3 does it server-side). The asset buckets gain no key during
 * the run (the copies go to the evidence bucket), so their keys are sorted once and listed from that.
 */
function listedOnce(s3: ReturnType<typeof simulatedS3>, assets: readonly string[]): Handlers {
  // Sorted now, before the clock starts; one filtered list per prefix.
  const sorted = new Map(assets.map((b) => [b, [...(s3.buckets.get(b)?.objects.keys() ?? [])].sort()]));
  const filtered = new Map<string, string[]>();
  const keysOf = (bucket: string, prefix: string) => {
    const id = `${bucket}/${prefix}`;
    let keys = filtered.get(id);
    if (!keys) {
      keys = (sorted.get(bucket) ?? []).filter((k) => k.startsWith(prefix));
      filtered.set(id, keys);
    }
    return keys;
  };
  const PAGE = 1000;
  const latest = (bucket: string, key: string) => s3.buckets.get(bucket)?.objects.get(key)?.at(-1);
  return {
    ...s3.handlers,
    async ListObjectsV2Command(input) {
      if (!assets.includes(input.Bucket))
        return (s3.handlers.ListObjectsV2Command as Handlers[string])(input);
      const keys = keysOf(input.Bucket, input.Prefix ?? '');
      const from = Number(input.ContinuationToken ?? 0);
      const more = from + PAGE < keys.length;
      const page = keys.slice(from, from + PAGE);
      return {
        Contents: page.map((Key) => ({ Key, Size: latest(input.Bucket, Key)?.size })),
        KeyCount: page.length,
        IsTruncated: more,
        ...(more ? { NextContinuationToken: String(from + PAGE) } : {}),
      };
    },
    async ListObjectVersionsCommand(input) {
      if (!assets.includes(input.Bucket))
        return (s3.handlers.ListObjectVersionsCommand as Handlers[string])(input);
      // One version per key in the bench: the key marker alone says where the page starts.
      const keys = keysOf(input.Bucket, input.Prefix ?? '');
      let from = 0;
      if (input.KeyMarker) {
        let lo = 0;
        let hi = keys.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((keys[mid] as string) <= input.KeyMarker) lo = mid + 1;
          else hi = mid;
        }
        from = lo;
      }
      const page = keys.slice(from, from + PAGE);
      const more = from + PAGE < keys.length;
      const last = page.at(-1);
      return {
        Versions: page.map((Key) => {
          const v = latest(input.Bucket, Key);
          return { Key, VersionId: v?.versionId, IsLatest: true, ETag: v?.etag, Size: v?.size };
        }),
        IsTruncated: more,
        ...(more && last
          ? { NextKeyMarker: last, NextVersionIdMarker: latest(input.Bucket, last)?.versionId }
          : {}),
      };
    },
  };
}

/**
 * S3 Batch Operations over the S3 simulator: CreateJob keeps the job (one per token, as S3 does),
 * `runAll` performs each job's operation on every manifest line and writes its completion report,
 * DescribeJob answers with the counts.
 */
/** One simulator call outside the timed clients (the engine's own work). */
function call(s3: ReturnType<typeof simulatedS3>, name: string, input: object) {
  const handler = s3.handlers[name];
  if (!handler) throw new Error(`the simulator does not implement ${name}`);
  return handler(input);
}

function batchEngine(s3: ReturnType<typeof simulatedS3>) {
  // biome-ignore lint/suspicious/noExplicitAny: the engine reads the CreateJob input as S3 does, by field.
  type Job = { id: string; input: Record<string, any>; status: string; done: number; failed: number };
  const jobs = new Map<string, Job>();
  const handlers: Handlers = {
    async CreateJobCommand(input) {
      const token = input.ClientRequestToken as string;
      const job = jobs.get(token) ?? {
        id: `job-${jobs.size + 1}`,
        input,
        status: 'Ready',
        done: 0,
        failed: 0,
      };
      jobs.set(token, job);
      return { JobId: job.id };
    },
    async DescribeJobCommand({ JobId }) {
      const job = [...jobs.values()].find((j) => j.id === JobId);
      if (!job) throw s3Error('NoSuchJob', 404);
      return {
        Job: {
          JobId,
          Status: job.status,
          Description: job.input.Description,
          ProgressSummary: {
            TotalNumberOfTasks: job.done + job.failed,
            NumberOfTasksSucceeded: job.done,
            NumberOfTasksFailed: job.failed,
          },
          Report: job.input.Report,
        },
      };
    },
  };
  return {
    handlers,
    async runAll(): Promise<string[]> {
      for (const job of jobs.values()) {
        const arn = job.input.Manifest.Location.ObjectArn as string;
        const [bucket, ...key] = arn.replace('arn:aws:s3:::', '').split('/');
        const body = (await call(s3, 'GetObjectCommand', { Bucket: bucket, Key: key.join('/') })) as {
          Body: { transformToString: () => Promise<string> };
        };
        for (const line of (await body.Body.transformToString()).split('\n').filter(Boolean)) {
          const [source, encoded, versionId] = line.split(',');
          const k = decodeURIComponent(encoded ?? '');
          try {
            if (job.input.Operation.S3PutObjectLegalHold)
              await call(s3, 'PutObjectLegalHoldCommand', {
                Bucket: source,
                Key: k,
                VersionId: versionId,
                LegalHold: { Status: 'ON' },
              });
            else
              await call(s3, 'CopyObjectCommand', {
                Bucket: EVIDENCE,
                Key: `${job.input.Operation.S3PutObjectCopy.TargetKeyPrefix}/${k}`,
                CopySource: `${source}/${encodeURIComponent(k)}?versionId=${versionId}`,
              });
            job.done++;
          } catch {
            job.failed++;
          }
        }
        job.status = 'Complete';
        await call(s3, 'PutObjectCommand', {
          Bucket: EVIDENCE,
          Key: `${job.input.Report.Prefix}/job-${job.id}/manifest.json`,
          Body: '{}',
        });
      }
      return [...jobs.values()].map((j) => j.id);
    },
  };
}

/** One scaled incident in a fresh process: no scenario pays for another's heap. */
function inChild(scenario: Scenario): Awaited<ReturnType<typeof incident>> {
  const args = [
    process.argv[1] ?? 'bench/aws.ts',
    '--buckets',
    String(scenario.buckets),
    '--objects',
    String(scenario.objects),
    '--json',
  ];
  const run = spawnSync(process.execPath, scenario.lanes ? args : [...args, '--shared'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 ** 2,
  });
  if (run.status !== 0) throw new Error(`bench scenario ${JSON.stringify(scenario)} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
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
  for (const [lanes, objects] of [
    [false, 1000],
    [true, 1000],
    [true, 100_000],
  ] as const) {
    for (const buckets of [1, 10, 50]) {
      const r = inChild({ buckets, objects, lanes });
      console.log(
        `aws ${lanes ? 'lanes ' : 'shared'} ${String(buckets).padStart(2)} buckets, ${objects.toLocaleString('en-US')} objects: sessions denied ${r.sessions.ms.toFixed(0)} ms (${r.sessions.rounds} rounds), ` +
          `everything cut off ${r.cutOff.ms.toFixed(0)} ms (${r.cutOff.rounds} rounds); ${r.calls} calls, function done after ${(r.inFunction / 1000).toFixed(1)} s; ` +
          `evidence ${r.failed ? `FAILED (${r.failed} actions)` : r.jobs ? `via ${r.jobs} Batch Operations jobs, ${r.jobsEnded} ends recorded, ${r.pending === 0 ? 'complete' : 'NOT complete'}` : 'complete in the function'}: ` +
          `${r.held.toLocaleString('en-US')} held, ${r.copied.toLocaleString('en-US')} copied; journal ${(r.journalBytes / 1024).toFixed(0)} KB`,
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
    lanes: !process.argv.includes('--shared'),
  };
  const result = await incident(scenario);
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : result);
  process.exit(0);
}
if (!process.argv.includes('--no-package')) zipsAndLoad();
await criticalPath();
