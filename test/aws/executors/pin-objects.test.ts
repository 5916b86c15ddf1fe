/**
 * Evidence pinning over the in-memory S3. Shapes from the S3 API Reference: HeadObject with
 * `ChecksumMode: ENABLED` returns ETag, ContentLength, VersionId, Checksum* and ChecksumType, and
 * `ObjectLockLegalHoldStatus` to callers with s3:GetObjectLegalHold; GetObjectLockConfiguration
 * answers ObjectLockConfigurationNotFoundError (404) on buckets without Object Lock;
 * PutObjectLegalHold takes Key, VersionId and LegalHold.Status.
 */
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectLegalHoldCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../core/errors.ts';
import { pinObjects } from '../../../functions-aws/executors/pin-objects.ts';
import { type FakeS3, fakeS3, s3Error } from '../../support/aws-fakes.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

const BUCKET = 'models-prod';
const NAMED = 'weights/model-00001.safetensors';
const SHA = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
let s3: FakeS3;
afterEach(() => s3.mock.restore());

function setup(init: Parameters<FakeS3['bucket']>[1] = {}, objects = 5) {
  s3 = fakeS3({ pageSize: 2 });
  const bucket = s3.bucket(BUCKET, init);
  s3.object(BUCKET, NAMED, {
    size: 4_000_000_000,
    checksumSHA256: SHA,
    etag: '"9b2cf535f27731c974343645a3985328"',
  });
  for (let i = 2; i <= objects; i++) s3.object(BUCKET, `weights/model-0000${i}.safetensors`);
  s3.object(BUCKET, 'README.md'); // outside the asset's prefixes: never pinned
  const action = plannedOf('pin-objects');
  return { bucket, action, executor: pinObjects(homeClients), c: ctx() };
}

describe('pin-objects', () => {
  it('records every object named or under the prefixes, with version, ETag, size and checksums', async () => {
    const { action, executor, c } = setup();
    expect(action.params).toEqual({
      bucket: BUCKET,
      keys: [NAMED],
      prefixes: ['weights/'],
      maxObjects: 1000,
      legalHold: true,
    });
    const before = await executor.read(action, c);
    expect(before.versioning).toBeNull();
    expect(before.objectLock).toBe(false);
    expect(before.objects.map((o) => o.key)).toEqual([
      NAMED,
      ...[2, 3, 4, 5].map((i) => `weights/model-0000${i}.safetensors`),
    ]);
    expect(before.objects[0]).toEqual({
      key: NAMED,
      versionId: 'null',
      etag: '"9b2cf535f27731c974343645a3985328"',
      size: 4_000_000_000,
      checksums: { SHA256: SHA },
      checksumType: 'FULL_OBJECT',
      legalHold: 'OFF',
    });
    expect(inputsOf(s3.mock, HeadObjectCommand)[0]).toEqual({
      Bucket: BUCKET,
      Key: NAMED,
      ChecksumMode: 'ENABLED',
    });
    expect(s3.mock).toReceiveCommandTimes(ListObjectsV2Command, 3);
  });

  it('says so, never silently, when more objects match than maxObjects', async () => {
    const { action, executor, c } = setup({}, 9);
    const capped = { ...action, params: { ...action.params, maxObjects: 4 } };
    const before = await executor.read(capped, c);
    expect(before.objects).toHaveLength(4);
    expect(before.objects[0]?.key).toBe(NAMED);
    expect(before.truncated).toMatch(
      /more than 4 objects matched .* only the first 4 are pinned; raise limits.maxObjects/,
    );
    // Nine keys in pages of two would be five pages; listing stops at the page holding the fifth.
    expect(s3.mock).toReceiveCommandTimes(ListObjectsV2Command, 3);
  });

  it('turns versioning on and records that it did; no legal hold without Object Lock', async () => {
    const { action, executor, c, bucket } = setup();
    const out = await executor.apply(action, await executor.read(action, c), c);
    expect(inputsOf(s3.mock, PutBucketVersioningCommand)).toEqual([
      { Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } },
    ]);
    expect(s3.mock).not.toReceiveCommand(PutObjectLegalHoldCommand);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: { versioningWasEnabled: false, legalHold: 'no-object-lock', missing: [] },
    });
    expect(bucket.versioning).toBe('Enabled');
  });

  it('places a legal hold on each recorded version where Object Lock is on, skipping holds already there', async () => {
    const { action, executor, c, bucket } = setup({ versioning: 'Enabled', objectLock: true }, 3);
    const held = bucket.objects.get('weights/model-00002.safetensors')?.at(-1);
    if (held) held.legalHold = 'ON';
    const before = await executor.read(action, c);
    const out = await executor.apply(action, before, c);
    const versionOf = (key: string) => before.objects.find((o) => o.key === key)?.versionId;
    expect(inputsOf(s3.mock, PutObjectLegalHoldCommand)).toEqual(
      [NAMED, 'weights/model-00003.safetensors'].map((Key) => ({
        Bucket: BUCKET,
        Key,
        VersionId: versionOf(Key),
        LegalHold: { Status: 'ON' },
      })),
    );
    expect(s3.mock).not.toReceiveCommand(PutBucketVersioningCommand);
    expect(out.details).toMatchObject({ versioningWasEnabled: true, legalHold: 'placed' });
    expect(
      ((out.details?.objects ?? []) as { legalHoldPlaced: boolean }[]).map((o) => o.legalHoldPlaced),
    ).toEqual([true, false, true]);
  });

  it('lists a missing named key instead of failing', async () => {
    const { action, executor, c } = setup();
    const gone = { ...action, params: { ...action.params, keys: ['weights/deleted.bin'], prefixes: [] } };
    expect(await executor.read(gone, c)).toMatchObject({ objects: [], missing: ['weights/deleted.bin'] });
  });

  it('after a retry, release lifts exactly the holds Tourniquet placed, from the first before-state', async () => {
    const { action, executor, c, bucket } = setup({ versioning: 'Enabled', objectLock: true }, 3);
    const theirs = bucket.objects.get('weights/model-00002.safetensors')?.at(-1);
    if (theirs) theirs.legalHold = 'ON';
    const first = await executor.read(action, c);
    s3.failNext(PutObjectLegalHoldCommand, s3Error('InternalError', 500));
    await expect(executor.apply(action, first, c)).rejects.toBeInstanceOf(TransientError);
    await executor.apply(action, await executor.read(action, c), c); // the retry sees some holds on
    s3.mock.resetHistory();
    const out = await executor.undo(action, first, c);
    expect(inputsOf(s3.mock, PutObjectLegalHoldCommand).map((i) => [i.Key, i.LegalHold?.Status])).toEqual([
      [NAMED, 'OFF'],
      ['weights/model-00003.safetensors', 'OFF'],
    ]);
    expect(theirs?.legalHold).toBe('ON');
    expect(s3.mock).not.toReceiveCommand(PutBucketVersioningCommand);
    expect(out).toEqual({ outcome: 'applied', details: { legalHoldsLifted: 2, versioning: 'unchanged' } });
  });

  it('undo suspends versioning only when Tourniquet turned it on', async () => {
    const { action, executor, c, bucket } = setup();
    const before = await executor.read(action, c);
    await executor.apply(action, before, c);
    await executor.undo(action, before, c);
    expect(inputsOf(s3.mock, PutBucketVersioningCommand).at(-1)).toEqual({
      Bucket: BUCKET,
      VersioningConfiguration: { Status: 'Suspended' },
    });
    expect(bucket.versioning).toBe('Suspended');
  });
});
