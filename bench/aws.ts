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
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../core/config.ts';
import { decide } from '../core/decide.ts';
import type { ActionResult } from '../core/executor.ts';
import { incidentJournal } from '../core/journal.ts';
import { respond } from '../core/respond.ts';
import { clientsFor } from '../functions-aws/clients.ts';
import { awsExecutors } from '../functions-aws/executors/index.ts';
import { s3WriteOnceStore } from '../functions-aws/journal-store.ts';
import { PACKS } from '../packs/index.ts';
import { fakeIam } from '../test/aws/executors/fake-iam.ts';
import { installMultipart } from '../test/aws/executors/fake-multipart.ts';
import { exfiltrationAlert, role } from '../test/support/alerts.ts';
import { fakeS3 } from '../test/support/aws-fakes.ts';

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

/** Every client call answers after LATENCY_MS; the fakes behind them keep real S3/IAM state. */
function slow<T extends { send: (...args: never[]) => unknown }>(client: T, calls: Call[], t0: number): T {
  const wrapped = Object.create(client) as T;
  type Command = { constructor: { name: string }; input?: { Key?: string } };
  const send = client.send.bind(client) as (command: Command) => Promise<unknown>;
  (wrapped as { send: unknown }).send = async (command: Command) => {
    const call = {
      name: command.constructor.name,
      key: command.input?.Key,
      start: performance.now() - t0,
      end: Number.NaN,
    };
    calls.push(call);
    await sleep(LATENCY_MS);
    try {
      return await send(command);
    } finally {
      call.end = performance.now() - t0;
    }
  };
  return wrapped;
}

/** The calls after which the attacker has no access: sessions denied, keys off, bucket denied. */
const CUTTING = [
  'PutRolePolicyCommand',
  'PutUserPolicyCommand',
  'UpdateAccessKeyCommand',
  'PutBucketPolicyCommand',
];

async function criticalPath(): Promise<void> {
  const s3 = fakeS3({ pageSize: 1000 });
  const iam = fakeIam();
  installMultipart(s3);
  const eventBridge = mockClient(EventBridgeClient);
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  s3.bucket('models-prod', { versioning: 'Enabled' });
  s3.bucket('training-data');
  s3.bucket(EVIDENCE, { versioning: 'Enabled', objectLock: true });
  s3.object('models-prod', 'weights/model-00001.safetensors', { size: 50 * 1024 ** 3 });
  for (let i = 2; i <= 150; i++) s3.object('models-prod', `weights/shard-${i}.bin`, { size: 64 * 1024 ** 2 });
  for (let i = 1; i <= 50; i++) s3.object('training-data', `corpus/part-${i}.jsonl`, { size: 1024 ** 2 });
  iam.role('etl-job');
  iam.user('mallory', [{ id: 'AKIAIOSFODNN7EXAMPLE', status: 'Active' }]);

  const config = parseConfig({
    mode: 'enforce',
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      assets: [
        { bucket: 'models-prod', kind: 'model-weights', prefixes: ['weights/'] },
        { bucket: 'training-data', kind: 'training-data', prefixes: [''] },
      ],
      evidenceBucket: EVIDENCE,
    },
  });
  const alert = exfiltrationAlert({
    principal: role('etl-job'),
    resources: [
      { kind: 'bucket', id: 'arn:aws:s3:::models-prod' },
      { kind: 'bucket', id: 'arn:aws:s3:::training-data' },
      { kind: 'access-key', id: 'AKIAIOSFODNN7EXAMPLE', parent: `arn:aws:iam::${ACCOUNT}:user/mallory` },
    ],
  });
  const decision = decide(alert, config, { now: new Date(), packs: PACKS });
  const calls: Call[] = [];
  const start = performance.now();
  const home = {
    iam: slow(new IAMClient({ region: 'us-east-1' }), calls, start),
    s3: slow(new S3Client({ region: 'us-east-1' }), calls, start),
    eventBridge: slow(new EventBridgeClient({ region: 'us-east-1' }), calls, start),
  };
  const clients = clientsFor({ home, homeAccount: ACCOUNT, sts: new STSClient({ region: 'us-east-1' }) });
  const finished: { result: ActionResult; at: number }[] = [];
  await respond(
    { decision, alert, trigger: { kind: 'alert' } },
    {
      packs: PACKS,
      executors: awsExecutors(clients, { escalationBus: 'default', homeAccount: ACCOUNT }),
      journal: incidentJournal(s3WriteOnceStore(home.s3, EVIDENCE)),
      onProgress: (result) => finished.push({ result, at: performance.now() - start }),
    },
  );
  const rounds = (ms: number) => Math.round(ms / LATENCY_MS);
  // A call's round: one more than the latest round of the calls answered before it started, so CPU
  // time between calls cannot pass for a round of its own.
  const roundOf = new Map<Call, number>();
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    const before = calls.filter((d) => d.end <= c.start).map((d) => roundOf.get(d) ?? 0);
    roundOf.set(c, 1 + Math.max(0, ...before));
  }
  const cutting = calls.filter((c) => CUTTING.includes(c.name));
  const cutOffRounds = Math.max(...cutting.map((c) => roundOf.get(c) ?? 0));
  const cutOff = Math.max(...cutting.map((c) => c.end));
  const recorded = Math.max(...finished.filter((f) => f.result.category !== 'snapshot').map((f) => f.at));
  const evidence = Math.max(...finished.map((f) => f.at));
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
  console.log(
    `aws reference incident (${decision.actions.length} actions, ${calls.length} calls at ${LATENCY_MS} ms each): attacker cut off after ${cutOffRounds} rounds (${cutOff.toFixed(0)} ms, target ≤ 3: claim ∥ read, journal before-state, deny); containment complete and journaled after ${rounds(recorded)} rounds`,
  );
  console.log(
    `aws evidence complete after ${rounds(evidence)} rounds (${evidence.toFixed(0)} ms): ${copied} objects copied server-side; object bytes through the function: ${getObjects === 0 ? 0 : 'GetObject called!'} (target 0); 50 GB copy: ${inFlight} parts in flight (target ≥ 16)`,
  );
}

if (!process.argv.includes('--no-package')) zipsAndLoad();
await criticalPath();
