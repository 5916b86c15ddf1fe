import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mapLimit } from '../../core/map-limit.ts';
import { awsCall } from '../errors.ts';
import type { CopiedMetadata } from './object-versions.ts';

/** CopyObject's limit: larger objects are copied in parts (S3 User Guide, "Copying objects"). */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;
const MIN_PART_BYTES = 5 * 1024 ** 2;

export interface PartCopyRequest {
  bucket: string;
  key: string;
  /** `<bucket>/<url-encoded key>?versionId=<v>`. */
  copySource: string;
  /** The recorded ETag: every part is copied from that exact version or not at all. */
  etag: string;
  size: number;
  partSizeBytes: number;
  partConcurrency: number;
  tagging: string;
  /** The source version's metadata: the copy gets what CreateMultipartUpload is given, nothing else. */
  metadata: CopiedMetadata;
}

/** Inclusive byte ranges covering `size` bytes exactly once, within S3's 10,000-part limit. */
export function partRanges(size: number, partSizeBytes: number): { start: number; end: number }[] {
  const partSize = Math.max(partSizeBytes, MIN_PART_BYTES, Math.ceil(size / MAX_PARTS));
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < size; start += partSize) {
    ranges.push({ start, end: Math.min(size, start + partSize) - 1 });
  }
  return ranges;
}

/**
 * Server-side multipart copy: `UploadPartCopy` with a byte range and `CopySourceIfMatch` per part,
 * `partConcurrency` parts in flight, parts completed in order. On any failure no new part starts
 * and the upload is aborted, so no half-copy lingers as billed storage.
 */
export async function multipartCopy(
  s3: S3Client,
  req: PartCopyRequest,
): Promise<{ etag: string; parts: number }> {
  const { bucket, key } = req;
  const created = await awsCall(() =>
    s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Tagging: req.tagging, ...req.metadata }),
    ),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`CreateMultipartUpload for s3://${bucket}/${key} returned no UploadId`);

  let failure: { error: unknown } | undefined;
  const ranges = partRanges(req.size, req.partSizeBytes);
  const results = await mapLimit(ranges, req.partConcurrency, async ({ start, end }, i) => {
    if (failure) return undefined;
    try {
      const out = await awsCall(() =>
        s3.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: i + 1,
            CopySource: req.copySource,
            CopySourceRange: `bytes=${start}-${end}`,
            CopySourceIfMatch: req.etag,
          }),
        ),
      );
      return { PartNumber: i + 1, ETag: out.CopyPartResult?.ETag };
    } catch (error) {
      failure ??= { error };
      throw error;
    }
  });

  // The original failure is what gets reported; a failed abort leaves an upload that the evidence
  // bucket's AbortIncompleteMultipartUpload lifecycle rule cleans up.
  const abort = () =>
    awsCall(() =>
      s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
    ).catch(() => undefined);
  if (failure) {
    await abort();
    throw failure.error;
  }
  const parts = results.map((r, i) => ({
    PartNumber: i + 1,
    ETag: r.status === 'fulfilled' ? r.value?.ETag : undefined,
  }));
  try {
    const done = await awsCall(() =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    return { etag: done.ETag ?? '', parts: ranges.length };
  } catch (error) {
    await abort();
    throw error;
  }
}
