import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EvidenceReader } from '../core/report/evidence-check.ts';
import { awsCall } from './errors.ts';

/** Reads S3 evidence copies (`s3://bucket/key`) for `tourniquet verify`: HeadObject only. */
export function s3EvidenceReader(s3: S3Client): EvidenceReader {
  return async (location) => {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
    if (!m) return undefined;
    const head = await awsCall(() => s3.send(new HeadObjectCommand({ Bucket: m[1], Key: m[2] })), {
      NotFound: () => undefined,
      NoSuchKey: () => undefined,
    });
    if (!head) return { exists: false };
    return { exists: true, size: head.ContentLength ?? 0, ...(head.ETag ? { etag: head.ETag } : {}) };
  };
}
