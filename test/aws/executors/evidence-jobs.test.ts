/**
 * The evidence job path end to end: a bucket with more objects than limits.evidenceJobAbove is
 * pinned and copied by S3 Batch Operations jobs (S3 Control CreateJob, asserted on exact inputs),
 * over manifests written to the evidence bucket, and the incident's evidence is complete when the
 * jobs report their end (DescribeJob), recorded once in the journal and sealed.
 */
import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { decide } from '../../../core/decide.ts';
import { incidentJobs, recordJobEnd } from '../../../core/evidence-jobs.ts';
import { incidentJournal } from '../../../core/journal.ts';
import { verifyChain } from '../../../core/journal-chain.ts';
import { release } from '../../../core/release.ts';
import { respond } from '../../../core/respond.ts';
import { clientsFor } from '../../../functions-aws/clients.ts';
import { parseJobStatusEvent } from '../../../functions-aws/events/batch-job-status.ts';
import { describeJobEnd } from '../../../functions-aws/evidence-job-end.ts';
import { jobToken } from '../../../functions-aws/executors/evidence-jobs.ts';
import { awsExecutors } from '../../../functions-aws/executors/index.ts';
import { s3WriteOnceStore } from '../../../functions-aws/journal-store.ts';
import { PACKS } from '../../../packs/index.ts';
import jobEvent from '../../fixtures/aws/batch/job-status-complete.json' with { type: 'json' };
import { exfiltrationAlert, role } from '../../support/alerts.ts';
import { type FakeS3, fakeS3 } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { instantRetry } from '../../support/fake-executors.ts';
import { fakeIam } from './fake-iam.ts';
import { NOW } from './harness.ts';

const EVIDENCE = `ir-evidence-${ACCOUNT}`;
const BATCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/tourniquet-prod-batch-operations`;
const OBJECTS = 1_500;

let s3: FakeS3;
let iam: ReturnType<typeof fakeIam>;
const eb = mockClient(EventBridgeClient);
const control = mockClient(S3ControlClient);
afterEach(() => {
  s3.mock.restore();
  iam.mock.restore();
  eb.reset();
  control.reset();
});

/** One role, one bucket of 1,500 objects (one of 6 GiB) with Object Lock, the job path from 1,000. */
function world(options: { loseFirstAnswer?: boolean } = {}) {
  s3 = fakeS3({ pageSize: 400 });
  iam = fakeIam();
  s3.bucket('models-prod', { versioning: 'Enabled', objectLock: true });
  s3.bucket(EVIDENCE, { versioning: 'Enabled', objectLock: true });
  s3.object('models-prod', 'weights/huge.bin', { size: 6 * 1024 ** 3 });
  for (let i = 1; i < OBJECTS; i++)
    s3.object('models-prod', `weights/shard ${String(i).padStart(4, '0')}.bin`, { size: 1024 });
  iam.role('etl-job');
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  // S3 Control answers a repeated token with the job it created for it.
  const jobs = new Map<string, string>();
  let lost = 0;
  control.on(CreateJobCommand).callsFake(async (input: { ClientRequestToken: string }) => {
    const job =
      jobs.get(input.ClientRequestToken) ?? `job-${input.ClientRequestToken.slice(0, 8)}-${jobs.size + 1}`;
    jobs.set(input.ClientRequestToken, job);
    if (options.loseFirstAnswer && !lost++)
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
    return { JobId: job };
  });
  const config = parseConfig({
    mode: 'enforce',
    limits: { maxObjects: 100_000, evidenceJobAbove: 1_000 },
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      assets: [{ bucket: 'models-prod', kind: 'model-weights', prefixes: ['weights/'] }],
      evidenceBucket: EVIDENCE,
    },
  });
  const alert = exfiltrationAlert({
    principal: role('etl-job'),
    resources: [{ kind: 'bucket', id: 'arn:aws:s3:::models-prod' }],
  });
  const decision = decide(alert, config, { packs: PACKS, now: NOW });
  const home = {
    iam: new IAMClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
  };
  const clients = clientsFor({ home, homeAccount: ACCOUNT, sts: new STSClient({ region: 'us-east-1' }) });
  const evidenceJobs = {
    above: config.limits.evidenceJobAbove,
    roleArn: BATCH_ROLE,
    homeAccount: ACCOUNT,
    evidenceBucket: EVIDENCE,
    control: async () => new S3ControlClient({ region: 'us-east-1' }),
  };
  const journal = incidentJournal(s3WriteOnceStore(home.s3, EVIDENCE));
  const deps = {
    executors: awsExecutors(clients, { escalationBus: 'default', homeAccount: ACCOUNT, evidenceJobs }),
    packs: PACKS,
    journal,
    retry: instantRetry,
    now: () => NOW,
    config,
  };
  const id = decision.incidentId as string;
  const input = { decision, alert, trigger: { kind: 'alert' as const } };
  const pin = decision.actions.find((a) => a.kind === 'pin-objects');
  const copy = decision.actions.find((a) => a.kind === 'copy-evidence');
  if (!pin || !copy) throw new Error('the plan pins and copies');
  const body = (key: string) => s3.buckets.get(EVIDENCE)?.objects.get(key)?.at(-1)?.body ?? '';
  return { decision, deps, journal, input, id, pin, copy, body, home };
}

const createJobs = () => control.commandCalls(CreateJobCommand).map((c) => c.args[0].input);

describe('evidence through S3 Batch Operations', () => {
  it('pins and copies 1,500 objects with two jobs over one manifest, with no HEAD per object', async () => {
    // Prepare
    const { deps, input, id, pin, copy, body } = world();
    // Act
    const { report, failure } = await respond(input, deps);
    // Assess: contained; no per-object HEAD (only the function's own journal reads).
    expect(failure).toBeUndefined();
    expect(report.results.map((r) => [r.kind, r.outcome])).toContainEqual(['pin-objects', 'applied']);
    const heads = s3.mock
      .commandCalls(HeadObjectCommand)
      .filter((c) => c.args[0].input.Bucket === 'models-prod');
    // (The one object above 5 GiB is read once for its metadata, as the multipart copy needs.)
    expect(heads.map((c) => c.args[0].input.Key)).toEqual(['weights/huge.bin']);
    // The exact jobs: a legal hold over every version, a copy of those up to 5 GiB.
    const pinned = report.results.find((r) => r.actionId === pin.id)?.details as {
      manifests: {
        hold: { key: string; etag: string; objects: number; pages: unknown[] };
        copy: { key: string; etag: string; objects: number };
        large: { key: string }[];
      };
      job: { id: string };
    };
    expect([pinned.manifests.hold.objects, pinned.manifests.copy.objects]).toEqual([OBJECTS, OBJECTS - 1]);
    expect(pinned.manifests.large.map((o) => o.key)).toEqual(['weights/huge.bin']);
    expect(pinned.manifests.hold.pages).toHaveLength(Math.ceil((OBJECTS * 1) / 400));
    const folder = (action: string) => `incidents/${id}/batch/${action}/`;
    expect(createJobs()).toEqual([
      {
        AccountId: ACCOUNT,
        ConfirmationRequired: false,
        ClientRequestToken: jobToken(id, pin.id, 'legal-hold'),
        Description: `tourniquet ${id} ${pin.id} legal-hold`,
        Priority: 10,
        RoleArn: BATCH_ROLE,
        Operation: { S3PutObjectLegalHold: { LegalHold: { Status: 'ON' } } },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
          Location: {
            ObjectArn: `arn:aws:s3:::${EVIDENCE}/${pinned.manifests.hold.key}`,
            ETag: pinned.manifests.hold.etag,
          },
        },
        Report: {
          Enabled: true,
          Bucket: `arn:aws:s3:::${EVIDENCE}`,
          Prefix: `${folder(pin.id)}reports/legal-hold`,
          Format: 'Report_CSV_20180820',
          ReportScope: 'AllTasks',
        },
      },
      expect.objectContaining({
        ClientRequestToken: jobToken(id, copy.id, 'copy'),
        Description: `tourniquet ${id} ${copy.id} copy`,
        Operation: {
          S3PutObjectCopy: {
            TargetResource: `arn:aws:s3:::${EVIDENCE}`,
            TargetKeyPrefix: `incidents/${id}/objects/models-prod`,
            MetadataDirective: 'COPY',
            NewObjectTagging: [{ Key: 'tourniquet:incident', Value: id }],
          },
        },
        Manifest: expect.objectContaining({
          Location: {
            ObjectArn: `arn:aws:s3:::${EVIDENCE}/${pinned.manifests.copy.key}`,
            ETag: pinned.manifests.copy.etag,
          },
        }),
      }),
    ]);
    // The manifest: one line per version, keys URL-encoded, digest recorded.
    const lines = body(pinned.manifests.hold.key).trimEnd().split('\n');
    expect(lines).toHaveLength(OBJECTS);
    expect(lines).toContain(
      `models-prod,${encodeURIComponent('weights/shard 0007.bin')},${s3.buckets.get('models-prod')?.objects.get('weights/shard 0007.bin')?.at(-1)?.versionId}`,
    );
    expect(createHash('sha256').update(body(pinned.manifests.hold.key)).digest('hex')).toBe(
      (pinned.manifests.hold as unknown as { sha256: string }).sha256,
    );
    // The large object was copied part by part, as before.
    expect(
      s3.buckets.get(EVIDENCE)?.objects.has(`incidents/${id}/objects/models-prod/weights/huge.bin`),
    ).toBe(true);
  });

  it('creates each job once: a retry after a lost answer reuses the fixed manifests and the same token', async () => {
    // Prepare: the first CreateJob's answer is lost after S3 created the job.
    const { deps, input, id, pin, copy } = world({ loseFirstAnswer: true });
    // Act
    await respond(input, deps);
    const again = await respond(input, { ...deps, now: () => new Date(NOW.getTime() + 20 * 60_000) });
    // Assess: every CreateJob of one operation carried one token and one manifest.
    const byToken = new Map<string, Set<string>>();
    for (const c of createJobs())
      byToken.set(
        c.ClientRequestToken ?? '',
        (byToken.get(c.ClientRequestToken ?? '') ?? new Set()).add(c.Manifest?.Location?.ETag ?? ''),
      );
    expect(createJobs().length).toBeGreaterThan(2);
    expect([...byToken.keys()].sort()).toEqual(
      [jobToken(id, pin.id, 'legal-hold'), jobToken(id, copy.id, 'copy')].sort(),
    );
    expect([...byToken.values()].map((etags) => etags.size)).toEqual([1, 1]);
    expect(again.failure).toBeUndefined();
  });

  it('finishes the evidence when both jobs report their end, once, and the chain holds', async () => {
    // Prepare
    const { deps, input, id, journal, home } = world();
    await respond(input, deps);
    const jobs = incidentJobs((await journal.load(id)) as never);
    expect(jobs.map((j) => j.end)).toEqual([undefined, undefined]);
    // Act: the event for each job, through the job-status parser and DescribeJob.
    const results = [];
    for (const { job } of jobs) {
      const event = structuredClone(jobEvent);
      event.detail.serviceEventDetails.jobId = job.id;
      const parsed = parseJobStatusEvent(event);
      if (parsed.kind !== 'job') throw new Error(parsed.reason);
      control.on(DescribeJobCommand, { JobId: job.id }).resolves({
        Job: {
          JobId: job.id,
          Status: 'Complete',
          Description: `tourniquet ${id} ${jobs.find((j) => j.job.id === job.id)?.actionId} ${job.operation}`,
          ProgressSummary: {
            TotalNumberOfTasks: job.objects,
            NumberOfTasksSucceeded: job.objects,
            NumberOfTasksFailed: 0,
          },
          Report: {
            Bucket: `arn:aws:s3:::${EVIDENCE}`,
            Prefix: job.reportPrefix.replace(`s3://${EVIDENCE}/`, ''),
            Enabled: true,
          },
        },
      });
      const report = await describeJobEnd(
        new S3ControlClient({ region: 'us-east-1' }),
        home.s3,
        parsed.account,
        parsed.jobId,
        () => NOW,
      );
      if (!report) throw new Error('not a Tourniquet job');
      results.push(await recordJobEnd(report, { journal }));
      // A repeated delivery of the same event records nothing twice.
      results.push(await recordJobEnd(report, { journal }));
    }
    // Assess
    expect(results.map((r) => r.status)).toEqual(['recorded', 'duplicate', 'recorded', 'duplicate']);
    expect(results.at(-1)).toMatchObject({ pending: [] });
    const state = await journal.load(id);
    expect(incidentJobs(state as never).map((j) => j.end?.tasks)).toEqual([
      { total: OBJECTS, succeeded: OBJECTS, failed: 0 },
      { total: OBJECTS - 1, succeeded: OBJECTS - 1, failed: 0 },
    ]);
    const entries = await journal.entries(id);
    expect(verifyChain(entries)).toMatchObject({ status: 'verified', problems: [], unsealed: [] });
    // A changed job entry is named.
    const jobKey = entries.find((e) => e.key.endsWith('-job.json'))?.key ?? '';
    const tampered = entries.map((e) =>
      e.key === jobKey ? { ...e, text: e.text.replace('"complete"', '"failed"'), sha256: 'x' } : e,
    );
    expect(verifyChain(tampered).problems.map((p) => p.key)).toContain(jobKey);
  });

  it('records nothing for a job the journal does not name (someone else’s, or forged)', async () => {
    const { deps, input, id, journal } = world();
    await respond(input, deps);
    const result = await recordJobEnd(
      {
        incidentId: id,
        jobId: 'not-ours-1234',
        status: 'complete',
        at: NOW.toISOString(),
        tasks: { total: 1, succeeded: 1, failed: 0 },
      },
      { journal },
    );
    expect(result).toEqual({ status: 'unknown-job', reason: `incident ${id} started no job not-ours-1234` });
  });

  it('keeps the legal holds a job placed on release, and says so', async () => {
    const { deps, input, id, pin } = world();
    await respond(input, deps);
    const { report } = await release(
      { incidentId: id, approver: 'alice', reason: 'closed', includeEvidence: true },
      deps,
    );
    expect(report.results.find((r) => r.actionId === pin.id)?.details).toMatchObject({
      legalHolds: expect.stringContaining('kept: placed by an S3 Batch Operations job'),
    });
  });
});

describe('parseJobStatusEvent', () => {
  it.each([
    ['the documented completion event', jobEvent, { kind: 'job', status: 'Complete', terminal: true }],
    [
      'a job still running',
      {
        ...jobEvent,
        detail: {
          ...jobEvent.detail,
          serviceEventDetails: { ...jobEvent.detail.serviceEventDetails, status: 'Active' },
        },
      },
      { kind: 'job', terminal: false },
    ],
    [
      'another S3 service event',
      { ...jobEvent, detail: { ...jobEvent.detail, eventName: 'JobCreated' } },
      { kind: 'ignored' },
    ],
    ['a forged source', { ...jobEvent, source: 'custom.s3' }, { kind: 'ignored' }],
    [
      'a job id with a slash',
      {
        ...jobEvent,
        detail: {
          ...jobEvent.detail,
          serviceEventDetails: { ...jobEvent.detail.serviceEventDetails, jobId: '../x' },
        },
      },
      { kind: 'rejected' },
    ],
  ])('%s', (_name, event, expected) => {
    expect(parseJobStatusEvent(event)).toMatchObject(expected);
  });
});
