import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { type FakeMetadata, type FakeS3, parseTagging, s3Error } from '../../support/aws-fakes.ts';

interface Upload {
  bucket: string;
  key: string;
  tagging?: string | undefined;
  /** What CreateMultipartUpload was given: the only metadata the finished object gets. */
  metadata: FakeMetadata;
  parts: Map<number, { start: number; end: number; etag: string }>;
  sourceSize?: number;
}

const METADATA_FIELDS = [
  'ContentType',
  'ContentEncoding',
  'ContentLanguage',
  'ContentDisposition',
  'CacheControl',
  'Expires',
  'Metadata',
] as const;

/**
 * Multipart copy on the fake S3: UploadPartCopy checks `CopySourceIfMatch` and the range, yields
 * once so concurrent parts really overlap (`maxInFlight` counts them), and Complete refuses parts
 * out of order or ranges that do not cover the source exactly once (S3's InvalidPart / InvalidPartOrder).
 */
export function installMultipart(s3: FakeS3) {
  const uploads = new Map<string, Upload>();
  const state = {
    inFlight: 0,
    maxInFlight: 0,
    aborted: [] as string[],
    failPart: undefined as number | undefined,
  };
  let n = 0;

  s3.mock.on(CreateMultipartUploadCommand).callsFake(async (input) => {
    const { Bucket, Key, Tagging } = input;
    const UploadId = `upload-${++n}`;
    const metadata: FakeMetadata = Object.fromEntries(
      METADATA_FIELDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]),
    );
    uploads.set(UploadId, {
      bucket: Bucket ?? '',
      key: Key ?? '',
      tagging: Tagging,
      metadata,
      parts: new Map(),
    });
    return { Bucket, Key, UploadId };
  });
  s3.mock.on(UploadPartCopyCommand).callsFake(async (input) => {
    const upload = uploads.get(input.UploadId ?? '');
    if (!upload) throw s3Error('NoSuchUpload', 404);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      if (input.PartNumber === state.failPart) throw s3Error('InternalError', 500);
      const v = s3.source(input.CopySource, input.CopySourceIfMatch);
      const m = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange ?? '');
      if (!m || Number(m[2]) >= v.size) throw s3Error('InvalidArgument', 400, 'bad CopySourceRange');
      const etag = `"part-${input.PartNumber}"`;
      upload.sourceSize = v.size;
      upload.parts.set(input.PartNumber ?? 0, { start: Number(m[1]), end: Number(m[2]), etag });
      return { CopyPartResult: { ETag: etag } };
    } finally {
      state.inFlight--;
    }
  });
  s3.mock.on(CompleteMultipartUploadCommand).callsFake(async ({ UploadId, MultipartUpload }) => {
    const upload = uploads.get(UploadId ?? '');
    if (!upload) throw s3Error('NoSuchUpload', 404);
    let next = 0;
    for (const [i, part] of (MultipartUpload?.Parts ?? []).entries()) {
      if (part.PartNumber !== i + 1) throw s3Error('InvalidPartOrder', 400);
      const stored = upload.parts.get(i + 1);
      if (!stored || stored.etag !== part.ETag || stored.start !== next) throw s3Error('InvalidPart', 400);
      next = stored.end + 1;
    }
    if (next !== upload.sourceSize) throw s3Error('InvalidPart', 400, 'parts do not cover the source');
    uploads.delete(UploadId ?? '');
    const etag = `"mp-${UploadId}-${upload.parts.size}"`;
    s3.store(upload.bucket, upload.key, {
      etag,
      size: next,
      legalHold: 'OFF',
      tags: parseTagging(upload.tagging),
      metadata: upload.metadata,
    });
    return { ETag: etag };
  });
  s3.mock.on(AbortMultipartUploadCommand).callsFake(async ({ UploadId }) => {
    uploads.delete(UploadId ?? '');
    state.aborted.push(UploadId ?? '');
    return {};
  });
  return Object.assign(state, { uploads });
}
