/**
 * Server-side evidence copies over the in-memory S3 (plus its multipart copy). Shapes from the S3
 * API Reference: CopyObject (CopySource `<bucket>/<url-encoded key>?versionId=<v>`, at most 5 GB,
 * CopySourceIfMatch → 412 PreconditionFailed), UploadPartCopy (CopySourceRange `bytes=first-last`,
 * inclusive), CompleteMultipartUpload (parts in ascending PartNumber), AbortMultipartUpload.
 * CreateMultipartUpload has no MetadataDirective: the copy only gets the metadata it is given
 * (S3 API Reference, CreateMultipartUpload; aws-sdk-java-v2 #6989 forwards the same fields).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError, TransientError } from '../../../core/errors.ts';
import type { ActionResult } from '../../../core/executor.ts';
import { copyEvidence } from '../../../functions-aws/executors/copy-evidence.ts';
import { partRanges } from '../../../functions-aws/executors/multipart-copy.ts';
import { pinObjects } from '../../../functions-aws/executors/pin-objects.ts';
import { type FakeMetadata, type FakeS3, fakeS3 } from '../../support/aws-fakes.ts';
import { ACCOUNT } from '../../support/config.ts';
import { installMultipart } from './fake-multipart.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

const BUCKET = 'models-prod';
const EVIDENCE = `ir-evidence-${ACCOUNT}`;
const GiB = 1024 ** 3;
const INCIDENT = 'aws-guardduty-0123456789abcdef0123';
let s3: FakeS3;
afterEach(() => s3.mock.restore());

/** Pins the objects for real (pin-objects over the same fake), then hands its result to the copy. */
async function setup(
  objects: Record<string, { size: number; etag?: string; metadata?: FakeMetadata }>,
  versioned = true,
) {
  s3 = fakeS3();
  s3.bucket(BUCKET, versioned ? { versioning: 'Enabled' } : {});
  s3.bucket(EVIDENCE, { versioning: 'Enabled', objectLock: true });
  for (const [key, o] of Object.entries(objects)) s3.object(BUCKET, key, o);
  const multipart = installMultipart(s3);
  const pinAction = plannedOf('pin-objects');
  const pin = { ...pinAction, params: { ...pinAction.params, keys: Object.keys(objects), prefixes: [] } };
  const pinner = pinObjects(homeClients);
  const applied = await pinner.apply(pin, await pinner.read(pin, ctx()), ctx());
  const pinResult: ActionResult = {
    actionId: pin.id,
    kind: 'pin-objects',
    category: 'snapshot',
    target: pin.target,
    ...applied,
  };
  const action = plannedOf('copy-evidence');
  s3.mock.resetHistory();
  return { action, executor: copyEvidence(homeClients), c: ctx([pinResult], INCIDENT), multipart, pinResult };
}
const versionOf = (key: string) => s3.buckets.get(BUCKET)?.objects.get(key)?.at(-1)?.versionId;

describe('copy-evidence', () => {
  it('copies each pinned version server-side with CopyObject, guarded by its ETag, tagged with the incident', async () => {
    const key = 'weights/model 01+final%.safetensors';
    const { action, executor, c } = await setup({
      [key]: { size: 5 * GiB, etag: '"0f343b0931126a20f133d67c2b018a3b"' },
    });
    expect(action.params).toMatchObject({
      evidenceBucket: EVIDENCE,
      evidencePrefix: `incidents/${action.params.evidencePrefix.split('/')[1]}/objects/${BUCKET}/`,
    });
    const out = await executor.apply(action, await executor.read(action, c), c);
    const v = versionOf(key);
    expect(inputsOf(s3.mock, CopyObjectCommand)).toEqual([
      {
        Bucket: EVIDENCE,
        Key: `${action.params.evidencePrefix}${key}`,
        CopySource: `${BUCKET}/weights/model%2001%2Bfinal%25.safetensors?versionId=${v}`,
        CopySourceIfMatch: '"0f343b0931126a20f133d67c2b018a3b"',
        MetadataDirective: 'COPY',
        TaggingDirective: 'REPLACE',
        Tagging: `tourniquet%3Aincident=${INCIDENT}&tourniquet%3Asource-etag=0f343b0931126a20f133d67c2b018a3b&tourniquet%3Asource-version=${v}`,
      },
    ]);
    expect(s3.mock).not.toReceiveCommand(CreateMultipartUploadCommand);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: {
        bytesThroughFunction: 0,
        objects: [{ key, sourceVersion: v, size: 5 * GiB, copyEtag: '"0f343b0931126a20f133d67c2b018a3b"' }],
      },
    });
  });

  it('copies a 50 GB object in parts: ranges cover it exactly once, 16 in flight, parts completed in order, no body read', async () => {
    const key = 'weights/model-50g.safetensors';
    const size = 50 * GiB;
    const { action, executor, c, multipart } = await setup({
      [key]: {
        size,
        etag: '"d41d8cd98f00b204e9800998ecf8427e-6400"',
        metadata: { ContentType: 'application/octet-stream' },
      },
    });
    await executor.apply(action, await executor.read(action, c), c);

    const v = versionOf(key);
    expect(inputsOf(s3.mock, CreateMultipartUploadCommand)).toEqual([
      {
        Bucket: EVIDENCE,
        Key: `${action.params.evidencePrefix}${key}`,
        Tagging: expect.stringContaining(`tourniquet%3Aincident=${INCIDENT}`),
        ContentType: 'application/octet-stream',
      },
    ]);
    const parts = inputsOf(s3.mock, UploadPartCopyCommand);
    expect(parts).toHaveLength(100); // 50 GiB / 512 MiB
    for (const p of parts) {
      expect(p).toMatchObject({
        CopySource: `${BUCKET}/${key}?versionId=${v}`,
        CopySourceIfMatch: '"d41d8cd98f00b204e9800998ecf8427e-6400"',
        UploadId: 'upload-1',
      });
    }
    const ranges = parts
      .map((p) => /^bytes=(\d+)-(\d+)$/.exec(p.CopySourceRange ?? '') ?? [])
      .map(([, a, b]) => [Number(a), Number(b)] as const)
      .sort((x, y) => x[0] - y[0]);
    let next = 0;
    for (const [first, last] of ranges) {
      expect(first).toBe(next);
      next = last + 1;
    }
    expect(next).toBe(size);
    expect(multipart.maxInFlight).toBeGreaterThanOrEqual(16);
    const complete = inputsOf(s3.mock, CompleteMultipartUploadCommand)[0];
    expect(complete?.MultipartUpload?.Parts?.map((p) => p.PartNumber)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    expect(s3.mock).not.toReceiveCommand(GetObjectCommand);
    expect(s3.mock).not.toReceiveCommand(CopyObjectCommand);
  });

  it('gives a multipart copy the metadata of the exact source version, as CopyObject does below 5 GB', async () => {
    const metadata: FakeMetadata = {
      ContentType: 'application/x-safetensors',
      ContentEncoding: 'zstd',
      ContentLanguage: 'en',
      ContentDisposition: 'attachment; filename="model.safetensors"',
      CacheControl: 'no-store',
      Expires: new Date('2027-01-01T00:00:00Z'),
      Metadata: { 'model-sha256': '9f86d081884c7d65', owner: 'ml-platform' },
    };
    const { action, executor, c } = await setup({
      'weights/big.safetensors': { size: 6 * GiB, metadata },
      'weights/small.safetensors': { size: GiB, metadata },
    });
    await executor.apply(action, await executor.read(action, c), c);
    const bigKey = `${action.params.evidencePrefix}weights/big.safetensors`;
    expect(inputsOf(s3.mock, HeadObjectCommand)).toEqual([
      { Bucket: BUCKET, Key: 'weights/big.safetensors', VersionId: versionOf('weights/big.safetensors') },
    ]);
    expect(inputsOf(s3.mock, CreateMultipartUploadCommand)).toEqual([
      {
        Bucket: EVIDENCE,
        Key: bigKey,
        Tagging: expect.stringContaining('tourniquet%3Aincident='),
        ...metadata,
      },
    ]);
    // The independent oracle: the small object went through CopyObject with MetadataDirective COPY.
    const copyOf = (name: string) =>
      s3.buckets.get(EVIDENCE)?.objects.get(`${action.params.evidencePrefix}weights/${name}`)?.at(-1)
        ?.metadata;
    expect(copyOf('small.safetensors')).toEqual(metadata);
    expect(copyOf('big.safetensors')).toEqual(copyOf('small.safetensors'));
  });

  it('switches to multipart one byte above 5 GB', async () => {
    const { action, executor, c } = await setup({
      'a.bin': { size: 5 * GiB },
      'b.bin': { size: 5 * GiB + 1 },
    });
    await executor.apply(action, await executor.read(action, c), c);
    expect(inputsOf(s3.mock, CopyObjectCommand).map((i) => i.Key?.split('/').at(-1))).toEqual(['a.bin']);
    expect(inputsOf(s3.mock, UploadPartCopyCommand).map((i) => i.CopySourceRange)).toEqual(
      Array.from(
        { length: 10 },
        (_, i) => `bytes=${i * 512 * 1024 ** 2}-${(i + 1) * 512 * 1024 ** 2 - 1}`,
      ).concat(`bytes=${5 * GiB}-${5 * GiB}`),
    );
  });

  it('skips copies already made from the same source version: a retry copies nothing twice', async () => {
    const { action, executor, c } = await setup({ 'weights/x.bin': { size: 10 } });
    await executor.apply(action, await executor.read(action, c), c);
    s3.mock.resetHistory();
    const again = await executor.apply(action, await executor.read(action, c), c);
    expect(again).toMatchObject({
      outcome: 'already-applied',
      details: { objects: [{ key: 'weights/x.bin', skipped: 'already-copied' }] },
    });
    expect(s3.mock).not.toReceiveCommand(CopyObjectCommand);
  });

  it('copies the pinned version even after an overwrite, since pinning turned versioning on', async () => {
    const { action, executor, c } = await setup({ 'weights/x.bin': { size: 10, etag: '"aaaa"' } }, false);
    s3.object(BUCKET, 'weights/x.bin', { size: 11, etag: '"bbbb"' });
    await executor.apply(action, await executor.read(action, c), c);
    expect(inputsOf(s3.mock, CopyObjectCommand)[0]).toMatchObject({
      CopySource: `${BUCKET}/weights/x.bin?versionId=null`,
      CopySourceIfMatch: '"aaaa"',
    });
    expect(
      s3.buckets.get(EVIDENCE)?.objects.get(`${action.params.evidencePrefix}weights/x.bin`)?.at(-1)?.size,
    ).toBe(10);
  });

  it.each([
    ['CopyObject', 10, { name: 'PreconditionFailed' }],
    // The metadata read of the exact version already shows the other ETag: no upload is started.
    ['a multipart copy', 6 * GiB, { message: 'HeadObject ETag "bbbb"' }],
  ])(
    'refuses %s when the object changed before versioning could keep it (ETag check)',
    async (_n, size, cause) => {
      s3 = fakeS3();
      s3.bucket(BUCKET);
      s3.bucket(EVIDENCE, { versioning: 'Enabled' });
      s3.object(BUCKET, 'weights/x.bin', { size, etag: '"aaaa"' });
      const pin = plannedOf('pin-objects');
      const pinAction = { ...pin, params: { ...pin.params, keys: ['weights/x.bin'], prefixes: [] } };
      const pinner = pinObjects(homeClients);
      const before = await pinner.read(pinAction, ctx());
      s3.object(BUCKET, 'weights/x.bin', { size: size + 1, etag: '"bbbb"' }); // lands while still unversioned
      const pinned = await pinner.apply(pinAction, before, ctx());
      const c = ctx([
        { actionId: pin.id, kind: 'pin-objects', category: 'snapshot', target: pin.target, ...pinned },
      ]);
      const action = plannedOf('copy-evidence');
      const executor = copyEvidence(homeClients);
      const error = await executor.apply(action, await executor.read(action, c), c).catch((e) => e);
      expect(error).toBeInstanceOf(ActionError);
      expect(error.message).toMatch(/weights\/x.bin: .*no longer matches the pinned ETag "aaaa"/);
      expect(error.cause.cause).toMatchObject(cause);
      expect(s3.mock).not.toReceiveCommand(CreateMultipartUploadCommand);
    },
  );

  it('aborts the multipart upload when a part fails, and reports a transient failure for retry', async () => {
    const { action, executor, c, multipart } = await setup({ 'big.bin': { size: 20 * GiB } });
    multipart.failPart = 7;
    const error = await executor.apply(action, await executor.read(action, c), c).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(inputsOf(s3.mock, AbortMultipartUploadCommand)).toEqual([
      { Bucket: EVIDENCE, Key: `${action.params.evidencePrefix}big.bin`, UploadId: 'upload-1' },
    ]);
    expect(s3.mock).not.toReceiveCommand(CompleteMultipartUploadCommand);
    expect(inputsOf(s3.mock, UploadPartCopyCommand).length).toBeLessThan(40); // no new part after the failure
  });

  it('needs the pinned versions, and keeps evidence on release', async () => {
    const { action, executor } = await setup({ 'x.bin': { size: 1 } });
    await expect(executor.read(action, ctx())).rejects.toThrow(/needs the versions recorded by a3/);
    expect(await executor.undo(action, { existing: {} }, ctx())).toMatchObject({
      outcome: 'already-applied',
      details: { note: expect.stringMatching(/kept/) },
    });
  });
});

describe('partRanges', () => {
  it('grows the part size to stay within 10,000 parts', () => {
    const ranges = partRanges(5 * 1024 ** 4, 512 * 1024 ** 2); // 5 TiB, the largest S3 object
    expect(ranges.length).toBeLessThanOrEqual(10_000);
    expect(ranges.at(-1)?.end).toBe(5 * 1024 ** 4 - 1);
  });
});
