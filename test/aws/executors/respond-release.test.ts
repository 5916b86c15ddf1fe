/**
 * The reference incident end to end with the real AWS executors and the S3 journal store, over
 * in-memory IAM, S3 and EventBridge: one role and one user key revoked, two buckets quarantined,
 * 200 objects pinned and copied (one of 50 GB), then released. Release must give back exactly what
 * containment recorded. API shapes as cited in the per-executor tests.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { GetObjectCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { decide } from '../../../core/decide.ts';
import { incidentJournal } from '../../../core/journal.ts';
import { release } from '../../../core/release.ts';
import { respond } from '../../../core/respond.ts';
import { clientsFor } from '../../../functions-aws/clients.ts';
import { awsExecutors } from '../../../functions-aws/executors/index.ts';
import { s3WriteOnceStore } from '../../../functions-aws/journal-store.ts';
import { PACKS } from '../../../packs/index.ts';
import { exfiltrationAlert, role } from '../../support/alerts.ts';
import { type FakeS3, fakeS3, s3Error } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { instantRetry } from '../../support/fake-executors.ts';
import { fakeIam } from './fake-iam.ts';
import { installMultipart } from './fake-multipart.ts';
import { NOW, sidFor } from './harness.ts';

const EVIDENCE = `ir-evidence-${ACCOUNT}`;
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SPARE = 'AKIAI44QH8DHBEXAMPLE';
const OWNER_POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Team',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/etl-job` },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::models-prod/*',
      },
    ],
  },
  null,
  2,
);

let s3: FakeS3;
let iam: ReturnType<typeof fakeIam>;
const eb = mockClient(EventBridgeClient);
afterEach(() => {
  s3.mock.restore();
  iam.mock.restore();
  eb.reset();
});

function world(mode: 'enforce' | 'dry-run' = 'enforce') {
  s3 = fakeS3({ pageSize: 100 });
  iam = fakeIam();
  const multipart = installMultipart(s3);
  s3.bucket('models-prod', {
    policy: OWNER_POLICY,
    tags: [{ Key: 'team', Value: 'ml' }],
    publicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    },
    versioning: 'Enabled',
  });
  s3.bucket('training-data');
  s3.bucket(EVIDENCE, { versioning: 'Enabled', objectLock: true });
  s3.object('models-prod', 'weights/model-00001.safetensors', { size: 50 * 1024 ** 3 });
  for (let i = 2; i <= 150; i++)
    s3.object('models-prod', `weights/shard-${String(i).padStart(3, '0')}.bin`, { size: 64 * 1024 ** 2 });
  for (let i = 1; i <= 50; i++) s3.object('training-data', `corpus/part-${i}.jsonl`, { size: 1024 ** 2 });
  iam.role('etl-job');
  iam.user('mallory', [
    { id: KEY, status: 'Active' },
    { id: SPARE, status: 'Active' },
  ]);
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

  const config = parseConfig({
    mode,
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      protectedPrincipals: [`arn:aws:iam::${ACCOUNT}:user/breakglass`],
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
      {
        kind: 'object',
        id: 's3://models-prod/weights/model-00001.safetensors',
        parent: 'arn:aws:s3:::models-prod',
      },
      { kind: 'access-key', id: KEY, parent: `arn:aws:iam::${ACCOUNT}:user/mallory` },
    ],
  });
  const decision = decide(alert, config, { packs: PACKS, now: NOW });
  const home = {
    iam: new IAMClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
  };
  const clients = clientsFor({ home, homeAccount: ACCOUNT, sts: new STSClient({ region: 'us-east-1' }) });
  const deps = {
    executors: awsExecutors(clients, { escalationBus: 'default', homeAccount: ACCOUNT }),
    packs: PACKS,
    journal: incidentJournal(s3WriteOnceStore(home.s3, EVIDENCE)),
    retry: instantRetry,
    now: () => NOW,
  };
  const input = { decision, alert, trigger: { kind: 'alert' as const }, event: { id: 'evt-1' } };
  return { decision, deps, multipart, input };
}

/** What release must give back: access settings of both buckets, key statuses, inline policies. */
function snapshot() {
  const access = (name: string) => {
    const b = s3.buckets.get(name);
    return structuredClone({ policy: b?.policy, publicAccessBlock: b?.publicAccessBlock, tags: b?.tags });
  };
  return {
    'models-prod': access('models-prod'),
    'training-data': access('training-data'),
    keys: structuredClone(iam.users.get('mallory')?.keys),
    roleInline: [...(iam.roles.get('etl-job')?.inline.keys() ?? [])],
    userInline: [...(iam.users.get('mallory')?.inline.keys() ?? [])],
  };
}

const MUTATING = /^(Put|Update|Delete|Copy|Create|UploadPart|Complete|Abort)/;
/** Changing calls, except writes of the journal itself (a duplicate's refused claim is one). */
const mutations = () =>
  [...s3.mock.calls(), ...iam.mock.calls(), ...eb.calls()]
    .map((c) => c.args[0] as { constructor: { name: string }; input: { Key?: string } })
    .filter((c) => MUTATING.test(c.constructor.name) && !c.input.Key?.includes('/journal/'))
    .map((c) => c.constructor.name);

describe('the reference incident on AWS', () => {
  it('contains, ignores a duplicate delivery, and releases back to exactly the recorded state', async () => {
    const { decision, deps, multipart, input } = world();
    expect(decision.actions.map((a) => a.kind)).toEqual([
      'revoke-role-sessions',
      'quarantine-bucket',
      'quarantine-bucket',
      'deactivate-access-keys',
      'pin-objects',
      'pin-objects',
      'copy-evidence',
      'copy-evidence',
      'escalate',
    ]);
    const initial = snapshot();

    const { report } = await respond(input, deps);
    expect(report.status).toBe('contained');
    // models-prod was versioned already and has no Object Lock: pinning records its versions but
    // changes nothing there, so there is nothing to undo for it either.
    const expected = decision.actions.map((a) =>
      a.kind === 'pin-objects' && a.target === 'arn:aws:s3:::models-prod' ? 'already-applied' : 'applied',
    );
    expect(report.results.map((r) => [r.kind, r.outcome, r.error])).toEqual(
      decision.actions.map((a, i) => [a.kind, expected[i], undefined]),
    );

    // Cut off: the role's sessions, the named key (not the spare), both buckets.
    expect(iam.roles.get('etl-job')?.inline.size).toBe(1);
    expect(iam.users.get('mallory')?.keys).toEqual([
      { id: KEY, status: 'Inactive' },
      { id: SPARE, status: 'Active' },
    ]);
    for (const bucket of ['models-prod', 'training-data']) {
      const b = s3.buckets.get(bucket);
      expect(JSON.parse(b?.policy ?? '{}').Statement.at(-1).Sid).toBe(sidFor(decision.incidentId ?? ''));
      expect(b?.publicAccessBlock).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      expect(b?.tags).toContainEqual({ Key: 'tourniquet:quarantine', Value: decision.incidentId });
    }
    // Evidence: 200 server-side copies, the 50 GB one in parts; no object body read.
    const prefix = `incidents/${decision.incidentId}/objects/`;
    const copies = [...(s3.buckets.get(EVIDENCE)?.objects.keys() ?? [])].filter((k) => k.startsWith(prefix));
    expect(copies).toHaveLength(200);
    expect(multipart.maxInFlight).toBeGreaterThanOrEqual(16);
    expect(s3.mock.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Bucket !== EVIDENCE)).toEqual(
      [],
    );
    expect(s3.buckets.get('training-data')?.versioning).toBe('Enabled');

    // A second delivery of the same finding changes nothing.
    s3.mock.resetHistory();
    iam.mock.resetHistory();
    eb.resetHistory();
    expect((await respond(input, deps)).report.status).toBe('duplicate');
    expect(mutations()).toEqual([]);

    const { report: released } = await release(
      { incidentId: decision.incidentId ?? '', approver: 'alice', reason: 'false positive' },
      deps,
    );
    expect(released.status).toBe('released');
    expect(snapshot()).toEqual(initial);
    expect(s3.buckets.get('models-prod')?.policy).toBe(OWNER_POLICY); // the owner's text, byte for byte
    // Evidence and its preservation stay unless release is asked to lift them.
    expect(
      [...(s3.buckets.get(EVIDENCE)?.objects.keys() ?? [])].filter((k) => k.startsWith(prefix)),
    ).toHaveLength(200);
    expect(s3.buckets.get('training-data')?.versioning).toBe('Enabled');

    s3.mock.resetHistory();
    iam.mock.resetHistory();
    const { report: again } = await release(
      { incidentId: decision.incidentId ?? '', approver: 'alice', reason: 'again' },
      deps,
    );
    expect(again.status).toBe('already-released');
    expect(mutations()).toEqual([]);
  });

  it('release with evidence also lifts the versioning it turned on', async () => {
    const { decision, deps, input } = world();
    await respond(input, deps);
    await release(
      { incidentId: decision.incidentId ?? '', approver: 'alice', reason: 'closed', includeEvidence: true },
      deps,
    );
    expect(s3.buckets.get('training-data')?.versioning).toBe('Suspended');
    expect(s3.buckets.get('models-prod')?.versioning).toBe('Enabled');
  });

  it('in dry-run, calls no AWS API at all', async () => {
    const { deps, input } = world('dry-run');
    const { report } = await respond(input, deps);
    expect(report.status).toBe('dry-run');
    expect(report.results.every((r) => r.outcome === 'skipped-dry-run')).toBe(true);
    expect([...s3.mock.calls(), ...iam.mock.calls(), ...eb.calls()]).toEqual([]);
  });

  it('retries a throttled call and reports how many attempts it took', async () => {
    const { deps, input } = world();
    s3.failNext(PutBucketPolicyCommand, s3Error('SlowDown', 503, 'Please reduce your request rate.'));
    const { report } = await respond(input, deps);
    const quarantines = report.results.filter((r) => r.kind === 'quarantine-bucket');
    expect(quarantines.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    // attempts count the read too: one read and one apply, or one read and two applies.
    expect(quarantines.map((r) => r.attempts).sort()).toEqual([2, 3]);
  });

  it('writes the session deny right after the claim, which records its before-state: no GetRolePolicy first', async () => {
    // Prepare
    const { decision, deps, input } = world();
    const revoke = decision.actions.find((a) => a.kind === 'revoke-role-sessions');
    // Act
    await respond(input, deps);
    // Assess: the one IAM call on the role's inline policy is the Put, with the planned document.
    const onRole = iam.mock
      .calls()
      .map((c) => c.args[0] as { constructor: { name: string }; input: { RoleName?: string } })
      .filter((c) => c.input.RoleName === 'etl-job');
    expect(onRole.map((c) => c.constructor.name)).toEqual(['PutRolePolicyCommand']);
    expect(onRole[0]?.input).toEqual({
      RoleName: 'etl-job',
      PolicyName: `tourniquet-revoke-${decision.incidentId}`,
      PolicyDocument: JSON.stringify(revoke?.kind === 'revoke-role-sessions' && revoke.params.policyDocument),
    });
    const claim = s3.buckets
      .get(EVIDENCE)
      ?.objects.get(`incidents/${decision.incidentId}/journal/incident.json`);
    expect(JSON.parse(claim?.at(-1)?.body ?? '{}').befores).toEqual({
      [revoke?.id ?? '']: { before: { policyDocument: null }, deadline: expect.any(String) },
    });
  });
});
