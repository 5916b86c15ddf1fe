/**
 * The quarantine tag is best effort. S3 behaviour modelled by the fake (test/support/aws-fakes.ts):
 * PutBucketTagging replaces the whole set (S3 API Reference, PutBucketTagging: "it will overwrite
 * any current tags"; special error InvalidTag); extant `aws:` system tags must be sent back
 * unchanged ("System Tags cannot be removed by requester") and new ones cannot be added ("Your
 * TagKey cannot be prefixed with aws:"): Cloud Custodian #2834/#2861, terraform-provider-aws #7342.
 * 50 user tags per bucket; system tags do not count (S3 User Guide, "Tagging your buckets").
 * CloudFormation's system tags: AWS CloudFormation User Guide, "Resource tag" (aws:cloudformation:
 * stack-name, stack-id, logical-id).
 */
import {
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { quarantineBucket } from '../../../functions-aws/executors/quarantine-bucket.ts';
import { type FakeS3, fakeS3, s3Error } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

const BUCKET = 'models-prod';
const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const STACK = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/ml-platform/1d2f6a80-9c11-11ef-8a7e-0affd3b1f9a1`;
/** What CloudFormation puts on a bucket it creates, and the owner's own tags. */
const CFN_TAGS = [
  { Key: 'aws:cloudformation:stack-name', Value: 'ml-platform' },
  { Key: 'aws:cloudformation:stack-id', Value: STACK },
  { Key: 'aws:cloudformation:logical-id', Value: 'ModelsBucket' },
  { Key: 'team', Value: 'ml' },
];
const OWNER_POLICY = JSON.stringify({
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
});
const userTags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `cost-${i}`, Value: `${i}` }));

let s3: FakeS3;
afterEach(() => s3.mock.restore());

function setup(init: Parameters<FakeS3['bucket']>[1] = {}) {
  s3 = fakeS3();
  const bucket = s3.bucket(BUCKET, { policy: OWNER_POLICY, ...init });
  const action = plannedOf('quarantine-bucket');
  const ourTag = { Key: 'tourniquet:quarantine', Value: action.params.tag.Value };
  return { bucket, action, ourTag, executor: quarantineBucket(homeClients), c: ctx([], 'inc-t1') };
}
const tagWrites = () => [
  ...inputsOf(s3.mock, PutBucketTaggingCommand),
  ...inputsOf(s3.mock, DeleteBucketTaggingCommand),
];

describe('the fake S3 tags buckets as S3 does (or the tests below would prove nothing)', () => {
  it('refuses a set that leaves out system tags, adds one, or passes 50 user tags', async () => {
    setup({ tags: CFN_TAGS });
    const client = new S3Client({ region: 'us-east-1' });
    const put = (TagSet: { Key: string; Value: string }[]) =>
      client.send(new PutBucketTaggingCommand({ Bucket: BUCKET, Tagging: { TagSet } }));
    await expect(put([{ Key: 'team', Value: 'ml' }])).rejects.toThrow(/System Tags cannot be removed/);
    await expect(put([...CFN_TAGS, { Key: 'aws:x', Value: '1' }])).rejects.toThrow(/prefixed with aws:/);
    await expect(put([...CFN_TAGS, ...userTags(50)])).rejects.toMatchObject({ name: 'InvalidTag' });
    const allowed = [...CFN_TAGS.slice(0, 3), ...userTags(50)];
    await expect(put(allowed)).resolves.toEqual({});
    const stored = await client.send(new GetBucketTaggingCommand({ Bucket: BUCKET }));
    expect(stored.TagSet).toEqual(allowed);
  });
});

describe('quarantine-bucket: the tag never fails the quarantine', () => {
  it('tags a CloudFormation bucket by sending its system tags back verbatim', async () => {
    const { action, executor, c, bucket, ourTag } = setup({ tags: CFN_TAGS });
    const out = await executor.apply(action, await executor.read(action, c), c);
    expect(inputsOf(s3.mock, PutBucketTaggingCommand)).toEqual([
      { Bucket: BUCKET, Tagging: { TagSet: [...CFN_TAGS, ourTag] } },
    ]);
    expect(out).toMatchObject({ outcome: 'applied', details: { tagged: true } });
    expect(bucket.tags).toEqual([...CFN_TAGS, ourTag]);

    const undone = await executor.undo(
      action,
      { policy: OWNER_POLICY, publicAccessBlock: null, tags: CFN_TAGS },
      c,
    );
    expect(undone.details).toMatchObject({ tags: 'restored' });
    expect(bucket.tags).toEqual(CFN_TAGS);
  });

  it('lands the Deny and the block when S3 refuses the tag set, and says why it is untagged', async () => {
    const { action, executor, c, bucket } = setup({ tags: CFN_TAGS });
    s3.failNext(
      PutBucketTaggingCommand,
      s3Error('InvalidTag', 400, 'System Tags cannot be removed by requester'),
    );
    const out = await executor.apply(action, await executor.read(action, c), c);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: {
        tagged: false,
        tagReason: expect.stringMatching(/InvalidTag: System Tags cannot be removed/),
      },
    });
    expect(JSON.parse(bucket.policy ?? '').Statement.at(-1).Sid).toBe(action.params.statement.Sid);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
    expect(bucket.tags).toEqual(CFN_TAGS);
  });

  it('does not even try past 50 user tags (system tags do not count), and still quarantines', async () => {
    const full = [...CFN_TAGS.slice(0, 3), ...userTags(50)];
    const { action, executor, c, bucket } = setup({ tags: full });
    const out = await executor.apply(action, await executor.read(action, c), c);
    expect(s3.mock).not.toReceiveCommand(PutBucketTaggingCommand);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: { tagged: false, tagReason: 'the bucket already has 50 tags and S3 allows 50' },
    });
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);

    const {
      action: a2,
      executor: e2,
      c: c2,
      bucket: b2,
    } = setup({ tags: [...CFN_TAGS.slice(0, 3), ...userTags(49)] });
    expect((await e2.apply(a2, await e2.read(a2, c2), c2)).details).toMatchObject({ tagged: true });
    expect(b2.tags).toHaveLength(53);
  });

  it('quarantines a bucket whose tags it may not read, and leaves its tags alone', async () => {
    const { action, executor, c, bucket } = setup({ tags: CFN_TAGS });
    s3.failNext(GetBucketTaggingCommand, s3Error('AccessDenied', 403, 'Access Denied'));
    const before = await executor.read(action, c);
    expect(before).toMatchObject({ tags: null, tagsUnreadable: 'AccessDenied: Access Denied' });
    const out = await executor.apply(action, before, c);
    expect(out.details).toMatchObject({
      tagged: false,
      tagReason: expect.stringMatching(/could not be read/),
    });
    expect(tagWrites()).toEqual([]);
    expect(bucket.publicAccessBlock).toEqual(ALL_ON);
  });

  it('treats a throttled tag write like any refusal: the quarantine is applied, untagged', async () => {
    const { action, executor, c } = setup();
    s3.failNext(PutBucketTaggingCommand, s3Error('SlowDown', 503, 'Please reduce your request rate.'));
    const out = await executor.apply(action, await executor.read(action, c), c);
    expect(out).toMatchObject({ outcome: 'applied', details: { tagged: false } });
  });

  it('undo restores tags only if Tourniquet changed them', async () => {
    const { action, executor, c, bucket } = setup({ tags: CFN_TAGS });
    s3.failNext(
      PutBucketTaggingCommand,
      s3Error('InvalidTag', 400, 'System Tags cannot be removed by requester'),
    );
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    s3.mock.resetHistory();
    const out = await executor.undo(action, before, c);
    expect(out).toEqual({
      outcome: 'applied',
      details: { policy: 'restored', publicAccessBlock: 'deleted', tags: 'unchanged' },
    });
    expect(tagWrites()).toEqual([]);
    expect([bucket.policy, bucket.publicAccessBlock, bucket.tags]).toEqual([
      OWNER_POLICY,
      undefined,
      CFN_TAGS,
    ]);
  });

  it('undo leaves the tag alone once someone else has changed its value', async () => {
    const { action, executor, c, bucket } = setup({ tags: [{ Key: 'team', Value: 'ml' }] });
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    bucket.tags = [
      { Key: 'team', Value: 'ml' },
      { Key: 'tourniquet:quarantine', Value: 'held-by-legal' },
    ];
    const out = await executor.undo(action, before, c);
    expect(out.details).toMatchObject({ tags: 'unchanged' });
    expect(bucket.tags).toContainEqual({ Key: 'tourniquet:quarantine', Value: 'held-by-legal' });
  });

  it('a failed tag removal on release is reported, never thrown', async () => {
    const { action, executor, c, bucket } = setup({ tags: [{ Key: 'team', Value: 'ml' }] });
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    s3.failNext(PutBucketTaggingCommand, s3Error('AccessDenied', 403, 'Access Denied'));
    const out = await executor.undo(action, before, c);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: {
        policy: 'restored',
        tags: 'failed',
        tagReason: expect.stringMatching(/stays: AccessDenied/),
      },
    });
    expect(bucket.policy).toBe(OWNER_POLICY);
  });
});
