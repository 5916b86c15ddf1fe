/**
 * Bucket quarantine over the in-memory S3. Shapes and codes from the S3 API Reference:
 * GetBucketPolicy (NoSuchBucketPolicy 404), GetPublicAccessBlock (NoSuchPublicAccessBlockConfiguration
 * 404), GetBucketTagging (NoSuchTagSet 404), PublicAccessBlockConfiguration ("BlockPublicPolicy …
 * reject calls to PUT Bucket policy if the specified bucket policy allows public access").
 */
import {
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError, TransientError } from '../../../core/errors.ts';
import { incidentIdFor } from '../../../core/incident-id.ts';
import { quarantineBucket } from '../../../functions-aws/executors/quarantine-bucket.ts';
import { exfiltrationAlert } from '../../support/alerts.ts';
import { type FakeS3, fakeS3, s3Error } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { ctx, homeClients, inputsOf, plannedOf, sidFor } from './harness.ts';

const BUCKET = 'models-prod';
/** The bucket's own policy, as its owner wrote it (pretty-printed: release must give back this text). */
const EXISTING = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowTeam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/etl-job` },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
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
const SID = sidFor(incidentIdFor(exfiltrationAlert()));
/** Our statement, written out by hand from the contract (not from the code under test). */
const DENY = {
  Sid: SID,
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: {
    ArnNotLike: {
      'aws:PrincipalArn': [
        `arn:aws:iam::${ACCOUNT}:role/*/ir-responder`,
        `arn:aws:iam::${ACCOUNT}:role/ir-responder`,
        `arn:aws:iam::${ACCOUNT}:user/*/breakglass`,
        `arn:aws:iam::${ACCOUNT}:user/breakglass`,
      ],
    },
  },
};
const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const OWNER_TAGS = [
  { Key: 'team', Value: 'ml' },
  { Key: 'cost-center', Value: '42' },
];

let s3: FakeS3;
afterEach(() => s3.mock.restore());

function setup(init: Parameters<FakeS3['bucket']>[1] = {}) {
  s3 = fakeS3();
  const bucket = s3.bucket(BUCKET, init);
  const action = plannedOf('quarantine-bucket');
  return { bucket, action, executor: quarantineBucket(homeClients), c: ctx([], 'inc-q1') };
}
const order = () => s3.mock.calls().map((c) => (c.args[0] as object).constructor.name);

describe('quarantine-bucket', () => {
  it('reads none-set as null for policy, public access block and tags', async () => {
    const { action, executor, c } = setup();
    expect(await executor.read(action, c)).toEqual({ policy: null, publicAccessBlock: null, tags: null });
  });

  it('merges the Deny into the existing policy, tags the bucket, then blocks public access', async () => {
    const { action, executor, c, bucket } = setup({ policy: EXISTING, tags: OWNER_TAGS });
    const out = await executor.apply(action, await executor.read(action, c), c);
    const expectedPolicy = JSON.stringify({
      ...JSON.parse(EXISTING),
      Statement: [...JSON.parse(EXISTING).Statement, DENY],
    });
    expect(inputsOf(s3.mock, PutBucketPolicyCommand)).toEqual([{ Bucket: BUCKET, Policy: expectedPolicy }]);
    expect(inputsOf(s3.mock, PutBucketTaggingCommand)).toEqual([
      {
        Bucket: BUCKET,
        Tagging: {
          TagSet: [...OWNER_TAGS, { Key: 'tourniquet:quarantine', Value: action.params.tag.Value }],
        },
      },
    ]);
    expect(inputsOf(s3.mock, PutPublicAccessBlockCommand)).toEqual([
      { Bucket: BUCKET, PublicAccessBlockConfiguration: ALL_ON },
    ]);
    expect(order().indexOf('PutPublicAccessBlockCommand')).toBeGreaterThan(
      order().indexOf('PutBucketPolicyCommand'),
    );
    expect(out).toMatchObject({
      outcome: 'applied',
      details: { sid: SID, tagged: true, policyBytes: Buffer.byteLength(expectedPolicy) },
    });
    expect(bucket.policy).toBe(expectedPolicy);
  });

  it('still lands the Deny when the bucket was made public (the block is set only after the policy)', async () => {
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [PUBLIC_READ] });
    const { action, executor, c, bucket } = setup({ policy: publicPolicy });
    await executor.apply(action, await executor.read(action, c), c);
    expect(JSON.parse(bucket.policy ?? '').Statement).toEqual([PUBLIC_READ, DENY]);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
  });

  it('explains a policy S3 refuses under an existing BlockPublicPolicy, and still sets the full block', async () => {
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [PUBLIC_READ] });
    const { action, executor, c, bucket } = setup({
      policy: publicPolicy,
      publicAccessBlock: { BlockPublicPolicy: true },
    });
    const error = await executor.apply(action, await executor.read(action, c), c).catch((e) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toMatch(/Block Public Access \(BlockPublicPolicy, bucket or account level\)/);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
  });

  it('is already applied when statement, block and tag are all in place', async () => {
    const { action, executor, c } = setup({ policy: EXISTING });
    await executor.apply(action, await executor.read(action, c), c);
    s3.mock.resetHistory();
    const again = await executor.apply(action, await executor.read(action, c), c);
    expect(again.outcome).toBe('already-applied');
    expect(order().filter((n) => n.startsWith('Put') || n.startsWith('Delete'))).toEqual([]);
  });

  it('refuses, before any call, a merge that would pass the 20 KB bucket policy limit', async () => {
    const filler = Array.from({ length: 120 }, (_, i) => ({
      ...JSON.parse(EXISTING).Statement[0],
      Sid: `S${i}`,
    }));
    const { action, executor, c } = setup({
      policy: JSON.stringify({ Version: '2012-10-17', Statement: filler }),
    });
    const before = await executor.read(action, c);
    await expect(executor.apply(action, before, c)).rejects.toThrow(/limit 20480.*quarantine by hand/);
    expect(order().filter((n) => !n.startsWith('Get'))).toEqual([]);
  });

  it('reports a throttled read as transient', async () => {
    const { action, executor, c } = setup();
    s3.failNext(GetBucketPolicyCommand, s3Error('SlowDown', 503, 'Please reduce your request rate.'));
    await expect(executor.read(action, c)).rejects.toBeInstanceOf(TransientError);
  });

  it('undo gives back the recorded policy text, block and tags exactly', async () => {
    const { action, executor, c, bucket } = setup({
      policy: EXISTING,
      tags: OWNER_TAGS,
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    });
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    const out = await executor.undo(action, before, c);
    expect(out).toEqual({
      outcome: 'applied',
      details: { policy: 'restored', publicAccessBlock: 'restored', tags: 'restored' },
    });
    expect(bucket.policy).toBe(EXISTING);
    expect(bucket.tags).toEqual(OWNER_TAGS);
    expect(bucket.publicAccessBlock).toEqual(before.publicAccessBlock);
    expect((await executor.undo(action, before, c)).outcome).toBe('already-applied');
  });

  it('undo deletes what did not exist before, lifting the block first so a public policy can come back', async () => {
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [PUBLIC_READ] });
    const { action, executor, c, bucket } = setup({ policy: publicPolicy });
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    await executor.undo(action, before, c);
    expect(bucket.policy).toBe(publicPolicy);
    expect(bucket.publicAccessBlock).toBeUndefined();
    expect(bucket.tags).toBeUndefined();
    expect(s3.mock).toReceiveCommandWith(DeletePublicAccessBlockCommand, { Bucket: BUCKET });
    expect(s3.mock).toReceiveCommandWith(DeleteBucketTaggingCommand, { Bucket: BUCKET });

    s3.mock.restore();
    const { bucket: bare, executor: e2, action: a2 } = setup();
    const empty = await e2.read(a2, c);
    await e2.apply(a2, empty, c);
    await e2.undo(a2, empty, c);
    expect(s3.mock).toReceiveCommandWith(DeleteBucketPolicyCommand, { Bucket: BUCKET });
    expect([bare.policy, bare.publicAccessBlock, bare.tags]).toEqual([undefined, undefined, undefined]);
  });

  it('undo keeps what others changed during the quarantine and removes only our statement and tag', async () => {
    const { action, executor, c, bucket } = setup({ policy: EXISTING, tags: OWNER_TAGS });
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    const extra = {
      Sid: 'AddedByResponder',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:DeleteObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    };
    const policy = JSON.parse(bucket.policy ?? '');
    bucket.policy = JSON.stringify({ ...policy, Statement: [...policy.Statement, extra] });
    bucket.tags = [...(bucket.tags ?? []), { Key: 'case', Value: 'IR-7' }];
    await executor.undo(action, before, c);
    expect(JSON.parse(bucket.policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'AllowTeam',
      'AddedByResponder',
    ]);
    expect(bucket.tags).toEqual([...OWNER_TAGS, { Key: 'case', Value: 'IR-7' }]);
  });
});
