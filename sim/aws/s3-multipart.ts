import type { SimMetadata, SimVersion } from './s3.ts';
import { parseTagging, s3Error } from './s3-rules.ts';

interface Upload {
  bucket: string;
  key: string;
  tagging?: string | undefined;
  /** What CreateMultipartUpload was given: the only metadata the finished object gets. */
  metadata: SimMetadata;
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
 * Multipart copy: UploadPartCopy checks `CopySourceIfMatch` and the range, yields once so
 * concurrent parts really overlap (`maxInFlight` counts them), and Complete refuses parts out of
 * order or ranges that do not cover the source exactly once (S3's InvalidPart / InvalidPartOrder).
 */
export function multipartHandlers(s3: {
  source(copySource: string | undefined, ifMatch: string | undefined): SimVersion;
  store(bucket: string, key: string, v: Omit<SimVersion, 'versionId'>): string;
}) {
  const uploads = new Map<string, Upload>();
  const state = {
    inFlight: 0,
    maxInFlight: 0,
    aborted: [] as string[],
    failPart: undefined as number | undefined,
    uploads,
  };
  let n = 0;
  // biome-ignore lint/suspicious/noExplicitAny: each command's own input.
  const handlers: Record<string, (input: any) => Promise<object>> = {
    async CreateMultipartUploadCommand(input) {
      const UploadId = `upload-${++n}`;
      const metadata: SimMetadata = Object.fromEntries(
        METADATA_FIELDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]),
      );
      uploads.set(UploadId, {
        bucket: input.Bucket ?? '',
        key: input.Key ?? '',
        tagging: input.Tagging,
        metadata,
        parts: new Map(),
      });
      return { Bucket: input.Bucket, Key: input.Key, UploadId };
    },
    async UploadPartCopyCommand(input) {
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
    },
    async CompleteMultipartUploadCommand({ UploadId, MultipartUpload }) {
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
    },
    async AbortMultipartUploadCommand({ UploadId }) {
      uploads.delete(UploadId ?? '');
      state.aborted.push(UploadId ?? '');
      return {};
    },
  };
  return { handlers, state };
}
