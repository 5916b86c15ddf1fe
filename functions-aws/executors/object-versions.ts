import {
  type CreateMultipartUploadRequest,
  HeadObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsCall } from '../errors.ts';

const CHECKSUMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
type ChecksumName = (typeof CHECKSUMS)[number];

/** One object version as recorded for evidence. */
export interface ObjectVersion {
  key: string;
  /**
   * `'null'` when S3 gave none: objects written before versioning was enabled keep the version id
   * `null` (S3 User Guide, "Working with objects in a versioning-enabled bucket"), so once pinning
   * has turned versioning on, `?versionId=null` still names exactly this version after an overwrite.
   */
  versionId: string;
  etag: string;
  size: number;
  /** Provider checksums S3 holds for the object (multipart ones are COMPOSITE, not full-object digests). */
  checksums: Partial<Record<ChecksumName, string>>;
  checksumType?: string;
  /** Object Lock legal hold as S3 reported it (needs s3:GetObjectLegalHold); OFF when not shown. */
  legalHold: 'ON' | 'OFF';
}

/**
 * Keys to pin: the named ones first, then those under each prefix (ListObjectsV2), deduplicated
 * and capped at `max`. Listing stops one past the cap, so `more` says honestly that there was more.
 */
export async function pinCandidates(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  prefixes: readonly string[],
  max: number,
): Promise<{ keys: string[]; more: boolean }> {
  const found = new Set(keys);
  for (const prefix of prefixes) {
    if (found.size > max) break;
    await awsCall(async () => {
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          if (object.Key) found.add(object.Key);
          if (found.size > max) return;
        }
      }
    });
  }
  const all = [...found];
  return { keys: all.slice(0, max), more: all.length > max };
}

/** The current version of `key` with its checksums, or undefined when it does not exist (any more). */
export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<ObjectVersion | undefined> {
  const head = await awsCall(
    () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' })),
    { NotFound: () => undefined, NoSuchKey: () => undefined },
  );
  if (!head) return undefined;
  const checksums: ObjectVersion['checksums'] = {};
  for (const name of CHECKSUMS) {
    const value = head[`Checksum${name}`];
    if (value) checksums[name] = value;
  }
  return {
    key,
    versionId: head.VersionId ?? 'null',
    etag: head.ETag ?? '',
    size: head.ContentLength ?? 0,
    checksums,
    ...(head.ChecksumType ? { checksumType: head.ChecksumType } : {}),
    legalHold: head.ObjectLockLegalHoldStatus === 'ON' ? 'ON' : 'OFF',
  };
}

/** The metadata `CopyObject` with `MetadataDirective: 'COPY'` keeps, as CreateMultipartUpload takes it. */
export type CopiedMetadata = Pick<
  CreateMultipartUploadRequest,
  | 'ContentType'
  | 'ContentEncoding'
  | 'ContentLanguage'
  | 'ContentDisposition'
  | 'CacheControl'
  | 'Expires'
  | 'Metadata'
>;

/**
 * ETag and metadata of exactly the pinned version. A multipart copy has no `MetadataDirective`:
 * what `CreateMultipartUpload` is not given, the copy does not get, so the source's system metadata
 * and user metadata are read here and passed on (the fields the AWS SDK for Java's multipart copy
 * forwards for `MetadataDirective.COPY`, aws-sdk-java-v2 #6989).
 */
export async function versionMetadata(
  s3: S3Client,
  bucket: string,
  object: Pick<ObjectVersion, 'key' | 'versionId'>,
): Promise<{ etag: string; metadata: CopiedMetadata }> {
  const head = await awsCall(() =>
    s3.send(new HeadObjectCommand({ Bucket: bucket, Key: object.key, VersionId: object.versionId })),
  );
  const fields = {
    ContentType: head.ContentType,
    ContentEncoding: head.ContentEncoding,
    ContentLanguage: head.ContentLanguage,
    ContentDisposition: head.ContentDisposition,
    CacheControl: head.CacheControl,
    Expires: head.Expires,
    Metadata: head.Metadata && Object.keys(head.Metadata).length ? head.Metadata : undefined,
  };
  const metadata = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { etag: head.ETag ?? '', metadata };
}
