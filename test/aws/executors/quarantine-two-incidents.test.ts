/**
 * Two incidents quarantining one bucket, over the in-memory S3 (API shapes as cited in
 * quarantine-bucket.test.ts; BlockPublicPolicy refusing a public PutBucketPolicy: S3 API Reference,
 * PublicAccessBlockConfiguration). Each incident owns its statement; releasing one must leave the
 * other's Deny and the public access block in place.
 */
import { PutBucketPolicyCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { incidentIdFor } from '../../../core/incident-id.ts';
import { memoryStore } from '../../../core/memory-store.ts';
import type { BucketAccess } from '../../../functions-aws/executors/bucket-access.ts';
import { quarantineBucket } from '../../../functions-aws/executors/quarantine-bucket.ts';
import { storeLedger } from '../../../functions-aws/executors/quarantine-ledger.ts';
import type { QuarantineBucket } from '../../../packs/aws/actions.ts';
import { exfiltrationAlert } from '../../support/alerts.ts';
import { type FakeS3, fakeS3 } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { ctx, homeClients, inputsOf, plannedOf, sidFor } from './harness.ts';

const BUCKET = 'models-prod';
const OWNER_POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Team',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/etl-job` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
    ],
  },
  null,
  2,
);
const PUBLIC_READ = {
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};
const OWNER_BLOCK = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};
const ALL_ON = { ...OWNER_BLOCK, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const OWNER_TAGS = [{ Key: 'team', Value: 'ml' }];

/** Two GuardDuty findings about the same bucket: two incidents. */
const alertA = exfiltrationAlert();
const alertB = exfiltrationAlert({
  id: '7c2d9e0f1a2b3c4d5e6f708192a3b4c5',
  dedupeKey: `aws:guardduty:${ACCOUNT}:us-east-1:7c2d9e0f1a2b3c4d5e6f708192a3b4c5`,
  type: 'Policy:S3/BucketAnonymousAccessGranted',
});
const SID_A = sidFor(incidentIdFor(alertA));
const SID_B = sidFor(incidentIdFor(alertB));

let s3: FakeS3;
afterEach(() => s3?.mock.restore());

interface Incident {
  action: QuarantineBucket;
  before: BucketAccess;
}

function world(init: Parameters<FakeS3['bucket']>[1] = {}) {
  s3 = fakeS3();
  const bucket = s3.bucket(BUCKET, {
    policy: OWNER_POLICY,
    publicAccessBlock: OWNER_BLOCK,
    tags: OWNER_TAGS,
    ...init,
  });
  const executor = quarantineBucket(homeClients, storeLedger(memoryStore()));
  const c = ctx();
  const contain = async (alert: typeof alertA): Promise<Incident & { outcome: string }> => {
    const action = plannedOf('quarantine-bucket', alert);
    const before = await executor.read(action, c);
    const { outcome } = await executor.apply(action, before, c);
    return { action, before, outcome };
  };
  const release = (i: Incident) => executor.undo(i.action, i.before, c);
  const sids = () =>
    JSON.parse(bucket.policy ?? '{"Statement":[]}').Statement.map((s: { Sid: string }) => s.Sid);
  return { bucket, contain, release, sids };
}

describe('quarantine-bucket and a planted TourniquetQuarantine statement', () => {
  it('treats a statement it did not record in its journal as the owner’s: the block comes back on release', async () => {
    // Someone with s3:PutBucketPolicy planted a statement named like Tourniquet's.
    const planted = {
      Sid: 'TourniquetQuarantine0123456789ab',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObjectRetention',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    };
    const policy = JSON.parse(OWNER_POLICY);
    policy.Statement.push(planted);
    const { bucket, contain, release } = world({ policy: JSON.stringify(policy) });
    const a = await contain(alertA);
    const out = await release(a);
    expect(out.details).toMatchObject({ publicAccessBlock: 'restored' });
    expect(out.details).not.toHaveProperty('publicAccessBlockNote');
    expect(bucket.publicAccessBlock).toEqual(OWNER_BLOCK);
    expect(JSON.parse(bucket.policy ?? '{}').Statement).toEqual(policy.Statement);
  });
});

describe('quarantine-bucket with two incidents on one bucket', () => {
  it('plans one statement per incident: the prefix and a stable hash of the incident id', () => {
    const a = plannedOf('quarantine-bucket', alertA).params.statement.Sid;
    expect(a).toBe(SID_A);
    expect(plannedOf('quarantine-bucket', alertB).params.statement.Sid).toBe(SID_B);
    expect(SID_A).not.toBe(SID_B);
    expect(a).toMatch(/^TourniquetQuarantine[0-9a-f]{12}$/);
  });

  it('applies the second incident’s own statement instead of finding the first one “already applied”', async () => {
    const { contain, sids } = world();
    expect((await contain(alertA)).outcome).toBe('applied');
    const b = await contain(alertB);
    expect(b.outcome).toBe('applied');
    expect(sids()).toEqual(['Team', SID_A, SID_B]);
  });

  it('releasing one incident keeps the other’s Deny and the block; releasing both gives back everything', async () => {
    const { bucket, contain, release, sids } = world();
    const a = await contain(alertA);
    const b = await contain(alertB);
    s3.mock.resetHistory();

    const outB = await release(b);
    expect(sids()).toEqual(['Team', SID_A]);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
    expect(s3.mock).not.toReceiveCommand(PutPublicAccessBlockCommand);
    expect(outB.details).toMatchObject({
      policy: 'restored',
      publicAccessBlock: 'kept',
      publicAccessBlockNote: expect.stringContaining(`left on: ${SID_A}`),
    });
    // B had replaced A's tag value: A is still open, so its value comes back.
    expect(bucket.tags).toEqual([...OWNER_TAGS, a.action.params.tag]);

    await release(a);
    expect(bucket.policy).toBe(OWNER_POLICY);
    expect(bucket.publicAccessBlock).toEqual(OWNER_BLOCK);
    expect(bucket.tags).toEqual(OWNER_TAGS);
  });

  it('released in the order they came, the last release says where the owner’s block is recorded', async () => {
    const { bucket, contain, release, sids } = world();
    const a = await contain(alertA);
    const b = await contain(alertB);

    expect((await release(a)).details).toMatchObject({ publicAccessBlock: 'kept' });
    expect(sids()).toEqual(['Team', SID_B]);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);

    const outB = await release(b);
    expect(sids()).toEqual(['Team']);
    // B's before-state was read under A's quarantine: its recorded block is Tourniquet's, so the
    // block stays on (fail closed) and the details point at A's journal for the owner's setting.
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
    expect(outB.details).toMatchObject({
      publicAccessBlockNote: expect.stringContaining(`read while ${SID_A} quarantined the bucket`),
    });
    // A's tag value, which B had replaced, is not put back: A's quarantine is over.
    expect(bucket.tags).toEqual(OWNER_TAGS);
  });

  it('adds and removes its statement in a public policy while the other incident keeps BlockPublicPolicy on', async () => {
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [PUBLIC_READ] });
    const { bucket, contain, release, sids } = world({ policy: publicPolicy, publicAccessBlock: undefined });
    const a = await contain(alertA);
    // B's merged policy is public as a whole (Deny statements do not change that) and A's block
    // refuses it: B lifts BlockPublicPolicy for that one call, its Deny lands, the block is back.
    expect((await contain(alertB)).outcome).toBe('applied');
    expect(sids()).toEqual(['PublicRead', SID_A, SID_B]);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
    s3.mock.resetHistory();

    await release(a);
    expect(sids()).toEqual(['PublicRead', SID_B]);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
    // Refused once under the block, then put with BlockPublicPolicy lifted for that call only.
    expect(inputsOf(s3.mock, PutBucketPolicyCommand)).toHaveLength(2);
    expect(
      inputsOf(s3.mock, PutPublicAccessBlockCommand).map((i) => i.PublicAccessBlockConfiguration),
    ).toEqual([{ ...ALL_ON, BlockPublicPolicy: false }, ALL_ON]);
  });
});
