import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { TransientError } from '../core/errors.ts';
import type { WriteOnceStore } from '../core/journal.ts';
import { awsCall } from './errors.ts';

/** What the journal store calls on the evidence bucket (ListObjectsV2 is `s3:ListBucket`). */
export const JOURNAL_STORE_PERMISSIONS = ['s3:GetObject', 's3:ListBucket', 's3:PutObject'] as const;

/**
 * The incident journal's write-once store on S3, in the evidence bucket. `PutObject` with
 * `If-None-Match: *` makes S3 itself refuse a second write of a key (412 Precondition Failed), so two
 * concurrent deliveries cannot both claim an incident. A 409 ConditionalRequestConflict means another
 * conditional write to the same key was in flight: the outcome is unknown, so it is retried.
 * With Object Lock on the bucket, the SDK's default CRC32 request checksum satisfies the
 * integrity-header requirement of `PutObject`.
 */
export function s3WriteOnceStore(s3: S3Client, bucket: string): WriteOnceStore {
  return {
    async create(key, body) {
      return awsCall(
        async () => {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: body,
              ContentType: 'application/json',
              IfNoneMatch: '*',
            }),
          );
          return true;
        },
        {
          PreconditionFailed: () => false,
          ConditionalRequestConflict: (error) => {
            throw new TransientError(`concurrent conditional write to s3://${bucket}/${key}`, {
              cause: error,
            });
          },
        },
      );
    },

    async get(key) {
      const out = await awsCall(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), {
        NoSuchKey: () => undefined,
      });
      return out?.Body ? out.Body.transformToString('utf8') : undefined;
    },

    async list(prefix) {
      return awsCall(async () => {
        const keys: string[] = [];
        for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
          for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        }
        return keys;
      });
    },
  };
}
