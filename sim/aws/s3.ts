/**
 * S3 in memory, for `tourniquet exercise` and the tests: the behaviours the executors' correctness
 * hangs on, with S3's error codes and statuses (S3 API Reference, "Error responses"):
 * `If-None-Match: *` (412), `CopySourceIfMatch` (412), the 5 GB CopyObject limit, BlockPublicPolicy
 * refusing a public policy, versions, legal holds only with Object Lock, object metadata
 * (CopyObject `MetadataDirective: 'COPY'` keeps it), bucket tag rules (50 user tags, `aws:` system
 * tags sent back unchanged, never added: Cloud Custodian #2861, terraform-provider-aws #7342), and
 * multipart copies (sim/aws/s3-multipart.ts). Handlers are keyed by SDK command name; sim/aws/clients.ts
 * serves them to a real S3Client, the tests to aws-sdk-client-mock.
 */
import type { HeadObjectOutput, PublicAccessBlockConfiguration, Tag } from '@aws-sdk/client-s3';
import { multipartHandlers } from './s3-multipart.ts';
import { checkTagSet, isPublic, parseTagging, s3Error } from './s3-rules.ts';

/** The metadata HeadObject shows and CopyObject (`MetadataDirective: 'COPY'`) copies. */
export type SimMetadata = Pick<
  HeadObjectOutput,
  | 'ContentType'
  | 'ContentEncoding'
  | 'ContentLanguage'
  | 'ContentDisposition'
  | 'CacheControl'
  | 'Expires'
  | 'Metadata'
>;

export interface SimVersion {
  versionId: string;
  etag: string;
  size: number;
  body?: string;
  legalHold: 'ON' | 'OFF';
  tags: Tag[];
  checksumSHA256?: string;
  metadata?: SimMetadata;
}

export interface SimBucket {
  policy?: string;
  publicAccessBlock?: PublicAccessBlockConfiguration;
  tags?: Tag[];
  versioning?: 'Enabled' | 'Suspended';
  objectLock: boolean;
  /** Versions per key, newest last. */
  objects: Map<string, SimVersion[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers take each command's own input and output.
export type Handlers = Record<string, (input: any) => Promise<object>>;

export type SimS3 = ReturnType<typeof simulatedS3>;

/** An S3 simulator's state as plain JSON. */
export interface SavedS3 {
  counter: number;
  buckets: (Omit<SimBucket, 'objects'> & { name: string; objects: [string, SimVersion[]][] })[];
}

/** `pageSize` keeps ListObjectsV2 pages small so paging is exercised. */
export function simulatedS3(options: { pageSize?: number } = {}) {
  const buckets = new Map<string, SimBucket>();
  const state = { counter: 0 };
  const bucketOf = (name: string | undefined) => {
    const b = buckets.get(name ?? '');
    if (!b) throw s3Error('NoSuchBucket', 404);
    return b;
  };
  const latest = (b: SimBucket, key: string | undefined) => b.objects.get(key ?? '')?.at(-1);
  const put = (b: SimBucket, key: string, v: Omit<SimVersion, 'versionId'>) => {
    const versionId = b.versioning === 'Enabled' ? `v${++state.counter}` : 'null';
    const kept = (b.objects.get(key) ?? []).filter((o) => o.versionId !== versionId);
    b.objects.set(key, [...kept, { ...v, versionId }]);
    return versionId;
  };
  /** The version a CopySource names, after its CopySourceIfMatch precondition. */
  const source = (copySource: string | undefined, ifMatch: string | undefined) => {
    const m = /^([^/]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(copySource ?? '');
    if (!m) throw s3Error('InvalidArgument', 400, `bad CopySource ${copySource}`);
    const versions = bucketOf(m[1]).objects.get(decodeURIComponent(m[2] ?? '')) ?? [];
    const v = m[3] ? versions.find((o) => o.versionId === decodeURIComponent(m[3] ?? '')) : versions.at(-1);
    if (!v) throw s3Error('NoSuchKey', 404);
    if (ifMatch !== undefined && ifMatch !== v.etag) throw s3Error('PreconditionFailed', 412);
    return v;
  };
  const store = (bucket: string, key: string, v: Omit<SimVersion, 'versionId'>): string =>
    put(bucketOf(bucket), key, v);

  const handlers: Handlers = {
    async GetBucketPolicyCommand({ Bucket }) {
      const b = bucketOf(Bucket);
      if (b.policy === undefined)
        throw s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
      return { Policy: b.policy };
    },
    async PutBucketPolicyCommand({ Bucket, Policy }) {
      const b = bucketOf(Bucket);
      // A round trip's worth of delay: a public access block sent concurrently lands first.
      await new Promise((resolve) => setImmediate(resolve));
      if (b.publicAccessBlock?.BlockPublicPolicy && isPublic(Policy ?? ''))
        throw s3Error('AccessDenied', 403);
      b.policy = Policy;
      return {};
    },
    async DeleteBucketPolicyCommand({ Bucket }) {
      delete bucketOf(Bucket).policy;
      return {};
    },
    async GetPublicAccessBlockCommand({ Bucket }) {
      const b = bucketOf(Bucket);
      if (!b.publicAccessBlock) throw s3Error('NoSuchPublicAccessBlockConfiguration', 404);
      return { PublicAccessBlockConfiguration: { ...b.publicAccessBlock } };
    },
    async PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration }) {
      bucketOf(Bucket).publicAccessBlock = { ...PublicAccessBlockConfiguration };
      return {};
    },
    async DeletePublicAccessBlockCommand({ Bucket }) {
      delete bucketOf(Bucket).publicAccessBlock;
      return {};
    },
    async GetBucketTaggingCommand({ Bucket }) {
      const b = bucketOf(Bucket);
      if (!b.tags) throw s3Error('NoSuchTagSet', 404, 'The TagSet does not exist');
      return { TagSet: b.tags.map((t) => ({ ...t })) };
    },
    async PutBucketTaggingCommand({ Bucket, Tagging }) {
      const b = bucketOf(Bucket);
      b.tags = checkTagSet(
        b.tags ?? [],
        (Tagging?.TagSet ?? []).map((t: Tag) => ({ ...t })),
      );
      return {};
    },
    async DeleteBucketTaggingCommand({ Bucket }) {
      delete bucketOf(Bucket).tags;
      return {};
    },
    async GetBucketVersioningCommand({ Bucket }) {
      const b = bucketOf(Bucket);
      return b.versioning ? { Status: b.versioning } : {};
    },
    async PutBucketVersioningCommand({ Bucket, VersioningConfiguration }) {
      bucketOf(Bucket).versioning = VersioningConfiguration?.Status;
      return {};
    },
    async GetObjectLockConfigurationCommand({ Bucket }) {
      if (!bucketOf(Bucket).objectLock) throw s3Error('ObjectLockConfigurationNotFoundError', 404);
      return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } };
    },
    async ListObjectsV2Command({ Bucket, Prefix = '', ContinuationToken }) {
      const keys = [...bucketOf(Bucket).objects.keys()].filter((k) => k.startsWith(Prefix)).sort();
      const start = ContinuationToken ? Number(ContinuationToken) : 0;
      const size = options.pageSize ?? 1000;
      const page = keys.slice(start, start + size);
      const more = start + size < keys.length;
      return {
        Contents: page.map((Key) => ({ Key, Size: latest(bucketOf(Bucket), Key)?.size })),
        KeyCount: page.length,
        IsTruncated: more,
        ...(more ? { NextContinuationToken: String(start + size) } : {}),
      };
    },
    // Versions in key order, newest first within a key; a page holds `pageSize` versions.
    async ListObjectVersionsCommand({ Bucket, Prefix = '', KeyMarker, VersionIdMarker }) {
      const b = bucketOf(Bucket);
      const keys = [...b.objects.keys()].filter((k) => k.startsWith(Prefix)).sort();
      const all = keys.flatMap((Key) =>
        [...(b.objects.get(Key) ?? [])].reverse().map((v, i) => ({ Key, v, IsLatest: i === 0 })),
      );
      let start = 0;
      if (KeyMarker !== undefined) {
        const at = all.findIndex((e) =>
          VersionIdMarker === undefined
            ? e.Key > KeyMarker
            : e.Key === KeyMarker && e.v.versionId === VersionIdMarker,
        );
        start = at < 0 ? all.length : VersionIdMarker === undefined ? at : at + 1;
      }
      const size = options.pageSize ?? 1000;
      const page = all.slice(start, start + size);
      const more = start + size < all.length;
      const last = page.at(-1);
      return {
        Versions: page.map(({ Key, v, IsLatest }) => ({
          Key,
          VersionId: b.versioning ? v.versionId : 'null',
          IsLatest,
          ETag: v.etag,
          Size: v.size,
        })),
        IsTruncated: more,
        ...(more && last ? { NextKeyMarker: last.Key, NextVersionIdMarker: last.v.versionId } : {}),
      };
    },
    async HeadObjectCommand({ Bucket, Key, VersionId }) {
      const b = bucketOf(Bucket);
      const versions = b.objects.get(Key ?? '') ?? [];
      const v = VersionId === undefined ? versions.at(-1) : versions.find((o) => o.versionId === VersionId);
      if (!v) throw s3Error('NotFound', 404);
      return {
        ...v.metadata,
        ETag: v.etag,
        ContentLength: v.size,
        ...(b.versioning ? { VersionId: v.versionId } : {}),
        ...(v.checksumSHA256
          ? { ChecksumSHA256: v.checksumSHA256, ChecksumType: 'FULL_OBJECT' as const }
          : {}),
        ...(b.objectLock ? { ObjectLockLegalHoldStatus: v.legalHold } : {}),
      };
    },
    async PutObjectLegalHoldCommand({ Bucket, Key, VersionId, LegalHold }) {
      const b = bucketOf(Bucket);
      if (!b.objectLock) throw s3Error('InvalidRequest', 400, 'Bucket is missing Object Lock Configuration');
      const v = b.objects.get(Key ?? '')?.find((o) => o.versionId === VersionId);
      if (!v) throw s3Error('NoSuchVersion', 404);
      v.legalHold = LegalHold?.Status === 'ON' ? 'ON' : 'OFF';
      return {};
    },
    async GetObjectCommand({ Bucket, Key }) {
      const v = latest(bucketOf(Bucket), Key);
      if (!v) throw s3Error('NoSuchKey', 404);
      return { Body: { transformToString: async () => v.body ?? '' }, ETag: v.etag };
    },
    async PutObjectCommand({ Bucket, Key, Body, IfNoneMatch }) {
      const b = bucketOf(Bucket);
      if (IfNoneMatch === '*' && latest(b, Key)) throw s3Error('PreconditionFailed', 412);
      const body = String(Body);
      const etag = `"${(++state.counter).toString(16).padStart(32, '0')}"`;
      put(b, Key ?? '', { etag, size: Buffer.byteLength(body), body, legalHold: 'OFF', tags: [] });
      return { ETag: etag };
    },
    async GetObjectTaggingCommand({ Bucket, Key }) {
      const v = latest(bucketOf(Bucket), Key);
      if (!v) throw s3Error('NoSuchKey', 404);
      return { TagSet: v.tags };
    },
    async CopyObjectCommand({ Bucket, Key, CopySource, CopySourceIfMatch, Tagging }) {
      const v = source(CopySource, CopySourceIfMatch);
      if (v.size > 5 * 1024 ** 3)
        throw s3Error('InvalidRequest', 400, 'The specified copy source is larger than 5 GB');
      const copied = { etag: v.etag, size: v.size, legalHold: 'OFF' as const, tags: parseTagging(Tagging) };
      put(bucketOf(Bucket), Key ?? '', { ...copied, ...(v.metadata ? { metadata: v.metadata } : {}) });
      return { CopyObjectResult: { ETag: v.etag } };
    },
  };
  const multipart = multipartHandlers({ source, store });

  return {
    buckets,
    handlers: { ...handlers, ...multipart.handlers } as Handlers,
    /** In-flight and aborted multipart state, for tests of part concurrency and failures. */
    multipart: multipart.state,
    source,
    /** Stores a finished copy (multipart completion calls it). */
    store,
    bucket(name: string, init: Partial<SimBucket> = {}): SimBucket {
      const b: SimBucket = { objectLock: false, objects: new Map(), ...init };
      buckets.set(name, b);
      return b;
    },
    /** Adds an object as a writer would (a new version when versioning is on). */
    object(bucket: string, key: string, v: Partial<Omit<SimVersion, 'versionId'>> = {}): string {
      const etag = v.etag ?? `"${(++state.counter).toString(16).padStart(32, 'a')}"`;
      return put(bucketOf(bucket), key, { size: 1024, legalHold: 'OFF', tags: [], ...v, etag });
    },
    /** Plain JSON of every bucket, for an exercise folder; `restore` reads it back. */
    snapshot(): SavedS3 {
      return {
        counter: state.counter,
        buckets: [...buckets].map(([name, b]) => ({ name, ...b, objects: [...b.objects] })),
      };
    },
    restore(saved: SavedS3) {
      state.counter = saved.counter;
      buckets.clear();
      for (const { name, objects, ...b } of saved.buckets)
        buckets.set(name, { ...b, objects: new Map(objects) });
    },
  };
}
