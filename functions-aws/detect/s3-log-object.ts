import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RejectedInputError } from '../../core/errors.ts';
import { awsCall } from '../errors.ts';

/** What reading a log object calls. */
export const LOG_READ_PERMISSIONS = ['s3:GetObject'] as const;

/** A log object named by an S3 notification or an EventBridge `Object Created` event. */
export interface LogObject {
  bucket: string;
  key: string;
  size?: number;
  /** The object version or ETag the event names, so the scan reads exactly what landed. */
  versionId?: string;
  etag?: string;
}

/**
 * The log objects a delivery names. Accepts an S3 event notification (`Records[].s3`, keys
 * URL-encoded with `+` for spaces) and an EventBridge `Object Created` event (`detail.bucket.name`,
 * `detail.object.key`, not encoded). Anything else is rejected with the reason.
 */
export function logObjectsOf(event: unknown): LogObject[] {
  const e = event as {
    Records?: unknown;
    source?: unknown;
    'detail-type'?: unknown;
    detail?: unknown;
  } | null;
  if (e && Array.isArray(e.Records)) {
    return e.Records.map((r, i) => {
      const s3 =
        (r as {
          eventSource?: string;
          eventName?: string;
          s3?: {
            bucket?: { name?: string };
            object?: { key?: string; size?: number; versionId?: string; eTag?: string };
          };
        }) ?? {};
      if (
        s3.eventSource !== 'aws:s3' ||
        !s3.eventName?.startsWith('ObjectCreated:') ||
        !s3.s3?.bucket?.name ||
        !s3.s3.object?.key
      ) {
        throw new RejectedInputError(`Records[${i}] is not an S3 ObjectCreated notification`);
      }
      const o = s3.s3.object;
      return clean({
        bucket: s3.s3.bucket.name,
        key: decodeURIComponent(o.key?.replace(/\+/g, ' ') ?? ''),
        size: o.size,
        versionId: o.versionId,
        etag: o.eTag,
      });
    });
  }
  if (e?.source === 'aws.s3' && e['detail-type'] === 'Object Created') {
    const d = e.detail as
      | {
          bucket?: { name?: string };
          object?: { key?: string; size?: number; 'version-id'?: string; etag?: string };
        }
      | undefined;
    if (!d?.bucket?.name || !d.object?.key)
      throw new RejectedInputError('Object Created event without detail.bucket.name or detail.object.key');
    return [
      clean({
        bucket: d.bucket.name,
        key: d.object.key,
        size: d.object.size,
        versionId: d.object['version-id'],
        etag: d.object.etag,
      }),
    ];
  }
  throw new RejectedInputError('not an S3 event notification or an EventBridge Object Created event');
}

/** The object's body as a stream: nothing is buffered whole (log files reach gigabytes). */
export async function openLogObject(s3: S3Client, object: LogObject): Promise<Readable> {
  const result = await awsCall(() =>
    s3.send(
      new GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        ...(object.versionId ? { VersionId: object.versionId } : {}),
      }),
    ),
  );
  if (!result.Body) throw new Error(`s3://${object.bucket}/${object.key} has no body`);
  return result.Body as Readable;
}

function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
