import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { parseConfig } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { recordJobEnd } from '../../core/evidence-jobs.ts';
import type { ActionResult } from '../../core/executor.ts';
import { incidentJournal } from '../../core/journal.ts';
import { respond } from '../../core/respond.ts';
import { clientsFor } from '../../functions-aws/clients.ts';
import { describeJobEnd } from '../../functions-aws/evidence-job-end.ts';
import { awsExecutors } from '../../functions-aws/executors/index.ts';
import { s3WriteOnceStore } from '../../functions-aws/journal-store.ts';
import { LANE_SOCKETS } from '../../functions-aws/lanes.ts';
import { PACKS } from '../../packs/index.ts';
import { simulatedEventBridge } from '../../sim/aws/eventbridge.ts';
import { simulatedIam } from '../../sim/aws/iam.ts';
import { simulatedS3 } from '../../sim/aws/s3.ts';
import { exfiltrationAlert, role } from '../../test/support/alerts.ts';
import { batchEngine } from './batch-engine.ts';
import { listedOnce } from './listed-once.ts';
import { ACCOUNT, EVIDENCE } from './reference-account.ts';
import { type Call, LATENCY_MS, roundsOf, slow } from './slow-client.ts';

/** The calls after which the attacker has no access: sessions denied, keys off, bucket denied. */
const SESSIONS = ['PutRolePolicyCommand', 'PutUserPolicyCommand'];
const CUTTING = [...SESSIONS, 'UpdateAccessKeyCommand', 'PutBucketPolicyCommand'];

/** One scaled incident: how many asset buckets and objects, and whether the S3 clients are laned. */
export interface Scenario {
  buckets: number;
  objects: number;
  /** false: one S3 client for everything (before the lanes). */
  lanes: boolean;
}

/**
 * The reference incident scaled: one role and one user key revoked, `buckets` asset buckets
 * quarantined, `objects` objects spread over them pinned and copied (one of 50 GB in the first).
 */
export async function incident({ buckets, objects, lanes }: Scenario) {
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
