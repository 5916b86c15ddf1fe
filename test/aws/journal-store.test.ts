/**
 * The journal store on S3, against the in-memory S3 of test/support/aws-fakes.ts, which enforces
 * `If-None-Match: *` the way S3 documents it (User Guide, "How to prevent object overwrites with
 * conditional writes": 412 Precondition Failed when the key exists, 409 ConditionalRequestConflict
 * when a concurrent conditional write is in flight; retry on 409).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../core/errors.ts';
import { JOURNAL_STORE_PERMISSIONS, s3WriteOnceStore } from '../../functions-aws/journal-store.ts';
import { writeOnceStoreContract } from '../contract/write-once-store.ts';
import { type FakeS3, fakeS3, s3Error } from '../support/aws-fakes.ts';
import { inputsOf } from './executors/harness.ts';

const BUCKET = 'ir-evidence-111122223333';
let s3: FakeS3 = fakeS3();
afterEach(() => s3.mock.restore());

function store(pageSize = 2) {
  s3.mock.restore();
  s3 = fakeS3({ pageSize });
  s3.bucket(BUCKET, { versioning: 'Enabled', objectLock: true });
  return s3WriteOnceStore(new S3Client({ region: 'us-east-1' }), BUCKET);
}

describe('s3WriteOnceStore', () => {
  writeOnceStoreContract(() => store());

  it('writes with If-None-Match: * and reads back the exact body', async () => {
    const journal = store();
    expect(await journal.create('incidents/i-1/journal/incident.json', '{"a":1}\n')).toBe(true);
    expect(inputsOf(s3.mock, PutObjectCommand)).toEqual([
      {
        Bucket: BUCKET,
        Key: 'incidents/i-1/journal/incident.json',
        Body: '{"a":1}\n',
        ContentType: 'application/json',
        IfNoneMatch: '*',
      },
    ]);
    expect(await journal.get('incidents/i-1/journal/incident.json')).toBe('{"a":1}\n');
    expect(s3.mock).toReceiveCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: 'incidents/i-1/journal/incident.json',
    });
  });

  it('lists across pages with the paginator', async () => {
    const journal = store(2);
    for (const n of [1, 2, 3, 4, 5])
      await journal.create(`incidents/i-9/journal/contain/a${n}/001-before.json`, '{}');
    const keys = await journal.list('incidents/i-9/');
    expect(keys.sort()).toEqual(
      [1, 2, 3, 4, 5].map((n) => `incidents/i-9/journal/contain/a${n}/001-before.json`),
    );
    // Five keys in pages of two: three requests (the paginator reuses one input object, so the
    // continuation tokens themselves cannot be compared call by call).
    expect(s3.mock).toReceiveCommandTimes(ListObjectsV2Command, 3);
    expect(s3.mock).toReceiveCommandWith(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'incidents/i-9/' });
  });

  it('turns 409 ConditionalRequestConflict into a TransientError so the core retries', async () => {
    const journal = store();
    const conflict = s3Error(
      'ConditionalRequestConflict',
      409,
      'A conflicting conditional operation is in progress',
    );
    s3.failNext(PutObjectCommand, conflict);
    const error = await journal.create('incidents/i-1/journal/incident.json', '{}').catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.cause).toBe(conflict);
  });

  it('answers false on 412 and undefined on NoSuchKey; other errors pass through', async () => {
    const journal = store();
    s3.failNext(
      PutObjectCommand,
      s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
    );
    expect(await journal.create('k', '{}')).toBe(false);
    expect(await journal.get('incidents/none.json')).toBeUndefined();
    const denied = s3Error('AccessDenied', 403);
    s3.failNext(GetObjectCommand, denied);
    await expect(journal.get('k')).rejects.toBe(denied);
    s3.failNext(PutObjectCommand, s3Error('SlowDown', 503));
    await expect(journal.create('k2', '{}')).rejects.toBeInstanceOf(TransientError);
  });

  it('declares the S3 permissions it calls', () => {
    expect([...JOURNAL_STORE_PERMISSIONS].sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });
});
