/**
 * A small S3 in memory behind aws-sdk-client-mock, for tests that need state across calls (the
 * journal store contract, release restoring what containment recorded, the 50 GB copy). It keeps
 * the behaviours correctness hangs on: `If-None-Match: *` (412), `CopySourceIfMatch` (412), the
 * 5 GB CopyObject limit, BlockPublicPolicy refusing a public policy, versions, legal holds, object
 * metadata (CopyObject `MetadataDirective: 'COPY'` keeps it) and bucket tag rules: 50 user tags, `aws:`
 * system tags sent back unchanged, never added (Cloud Custodian #2861, terraform-provider-aws #7342).
 * Multipart copies are added by test/aws/executors/fake-multipart.ts where a test needs them.
 * Error codes and statuses follow the S3 API Reference, "Error responses" (List of error codes).
 */
import {
  CopyObjectCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  type HeadObjectOutput,
  ListObjectsV2Command,
  type PublicAccessBlockConfiguration,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
  type Tag,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/** An SDK error as the S3 client builds it from an XML error response (name = Code). */
export function s3Error(code: string, status: number, message = code): S3ServiceException {
  return new S3ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

/** The metadata HeadObject shows and CopyObject (`MetadataDirective: 'COPY'`) copies. */
export type FakeMetadata = Pick<
  HeadObjectOutput,
  | 'ContentType'
  | 'ContentEncoding'
  | 'ContentLanguage'
  | 'ContentDisposition'
  | 'CacheControl'
  | 'Expires'
  | 'Metadata'
>;

export interface FakeVersion {
  versionId: string;
  etag: string;
  size: number;
  body?: string;
  legalHold: 'ON' | 'OFF';
  tags: Tag[];
  checksumSHA256?: string;
  metadata?: FakeMetadata;
}

export interface FakeBucket {
  policy?: string;
  publicAccessBlock?: PublicAccessBlockConfiguration;
  tags?: Tag[];
  versioning?: 'Enabled' | 'Suspended';
  objectLock: boolean;
  /** Versions per key, newest last. */
  objects: Map<string, FakeVersion[]>;
}

export type FakeS3 = ReturnType<typeof fakeS3>;

/** Installs the fake on every S3Client; `pageSize` keeps ListObjectsV2 pages small so paging is exercised. */
export function fakeS3(options: { pageSize?: number } = {}) {
  const mock = mockClient(S3Client);
  const buckets = new Map<string, FakeBucket>();
  let counter = 0;
  const failures = new Map<unknown, unknown[]>();
  // Handlers check a queue of injected failures first (sinon's `rejectsOnce` counts earlier calls).
  const on = <I extends object, O extends object>(
    command: new (input: I) => { input: I },
    fn: (input: I) => Promise<O>,
  ) =>
    mock.on(command as never).callsFake(async (input: I) => {
      const queued = failures.get(command);
      if (queued?.length) throw queued.shift();
      return fn(input);
    });
  const bucketOf = (name: string | undefined) => {
    const b = buckets.get(name ?? '');
    if (!b) throw s3Error('NoSuchBucket', 404);
    return b;
  };
  const latest = (b: FakeBucket, key: string | undefined) => b.objects.get(key ?? '')?.at(-1);
  const newVersionId = (b: FakeBucket) => (b.versioning === 'Enabled' ? `v${++counter}` : 'null');
  const put = (b: FakeBucket, key: string, v: Omit<FakeVersion, 'versionId'>) => {
    const versionId = newVersionId(b);
    const kept = (b.objects.get(key) ?? []).filter((o) => o.versionId !== versionId);
    b.objects.set(key, [...kept, { ...v, versionId }]);
    return versionId;
  };

  on(GetBucketPolicyCommand, async ({ Bucket }) => {
    const b = bucketOf(Bucket);
    if (b.policy === undefined) throw s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return { Policy: b.policy };
  });
  on(PutBucketPolicyCommand, async ({ Bucket, Policy }) => {
    const b = bucketOf(Bucket);
    // A round trip's worth of delay: a public access block sent concurrently lands first.
    await new Promise((resolve) => setImmediate(resolve));
    if (b.publicAccessBlock?.BlockPublicPolicy && isPublic(Policy ?? '')) throw s3Error('AccessDenied', 403);
    b.policy = Policy;
    return {};
  });
  on(DeleteBucketPolicyCommand, async ({ Bucket }) => {
    delete bucketOf(Bucket).policy;
    return {};
  });
  on(GetPublicAccessBlockCommand, async ({ Bucket }) => {
    const b = bucketOf(Bucket);
    if (!b.publicAccessBlock) throw s3Error('NoSuchPublicAccessBlockConfiguration', 404);
    return { PublicAccessBlockConfiguration: { ...b.publicAccessBlock } };
  });
  on(PutPublicAccessBlockCommand, async ({ Bucket, PublicAccessBlockConfiguration }) => {
    bucketOf(Bucket).publicAccessBlock = { ...PublicAccessBlockConfiguration };
    return {};
  });
  on(DeletePublicAccessBlockCommand, async ({ Bucket }) => {
    delete bucketOf(Bucket).publicAccessBlock;
    return {};
  });
  on(GetBucketTaggingCommand, async ({ Bucket }) => {
    const b = bucketOf(Bucket);
    if (!b.tags) throw s3Error('NoSuchTagSet', 404, 'The TagSet does not exist');
    return { TagSet: b.tags.map((t) => ({ ...t })) };
  });
  on(PutBucketTaggingCommand, async ({ Bucket, Tagging }) => {
    const b = bucketOf(Bucket);
    b.tags = checkTagSet(
      b.tags ?? [],
      (Tagging?.TagSet ?? []).map((t: Tag) => ({ ...t })),
    );
    return {};
  });
  on(DeleteBucketTaggingCommand, async ({ Bucket }) => {
    delete bucketOf(Bucket).tags;
    return {};
  });
  on(GetBucketVersioningCommand, async ({ Bucket }) => {
    const b = bucketOf(Bucket);
    return b.versioning ? { Status: b.versioning } : {};
  });
  on(PutBucketVersioningCommand, async ({ Bucket, VersioningConfiguration }) => {
    bucketOf(Bucket).versioning = VersioningConfiguration?.Status;
    return {};
  });
  on(GetObjectLockConfigurationCommand, async ({ Bucket }) => {
    if (!bucketOf(Bucket).objectLock) throw s3Error('ObjectLockConfigurationNotFoundError', 404);
    return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } };
  });
  on(ListObjectsV2Command, async ({ Bucket, Prefix = '', ContinuationToken }) => {
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
  });
  on(HeadObjectCommand, async ({ Bucket, Key, VersionId }) => {
    const b = bucketOf(Bucket);
    const versions = b.objects.get(Key ?? '') ?? [];
    const v = VersionId === undefined ? versions.at(-1) : versions.find((o) => o.versionId === VersionId);
    if (!v) throw s3Error('NotFound', 404);
    return {
      ...v.metadata,
      ETag: v.etag,
      ContentLength: v.size,
      ...(b.versioning ? { VersionId: v.versionId } : {}),
      ...(v.checksumSHA256 ? { ChecksumSHA256: v.checksumSHA256, ChecksumType: 'FULL_OBJECT' as const } : {}),
      ...(b.objectLock ? { ObjectLockLegalHoldStatus: v.legalHold } : {}),
    };
  });
  on(PutObjectLegalHoldCommand, async ({ Bucket, Key, VersionId, LegalHold }) => {
    const b = bucketOf(Bucket);
    if (!b.objectLock) throw s3Error('InvalidRequest', 400, 'Bucket is missing Object Lock Configuration');
    const v = b.objects.get(Key ?? '')?.find((o) => o.versionId === VersionId);
    if (!v) throw s3Error('NoSuchVersion', 404);
    v.legalHold = LegalHold?.Status === 'ON' ? 'ON' : 'OFF';
    return {};
  });
  on(GetObjectCommand, async ({ Bucket, Key }) => {
    const v = latest(bucketOf(Bucket), Key);
    if (!v) throw s3Error('NoSuchKey', 404);
    return { Body: { transformToString: async () => v.body ?? '' } as never, ETag: v.etag };
  });
  on(PutObjectCommand, async ({ Bucket, Key, Body, IfNoneMatch }) => {
    const b = bucketOf(Bucket);
    if (IfNoneMatch === '*' && latest(b, Key)) throw s3Error('PreconditionFailed', 412);
    const body = String(Body);
    const etag = `"${(++counter).toString(16).padStart(32, '0')}"`;
    put(b, Key ?? '', { etag, size: Buffer.byteLength(body), body, legalHold: 'OFF', tags: [] });
    return { ETag: etag };
  });
  on(GetObjectTaggingCommand, async ({ Bucket, Key }) => {
    const v = latest(bucketOf(Bucket), Key);
    if (!v) throw s3Error('NoSuchKey', 404);
    return { TagSet: v.tags };
  });
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
  on(CopyObjectCommand, async ({ Bucket, Key, CopySource, CopySourceIfMatch, Tagging }) => {
    const v = source(CopySource, CopySourceIfMatch);
    if (v.size > 5 * 1024 ** 3)
      throw s3Error('InvalidRequest', 400, 'The specified copy source is larger than 5 GB');
    const etag = v.etag;
    const copied = { etag, size: v.size, legalHold: 'OFF' as const, tags: parseTagging(Tagging) };
    put(bucketOf(Bucket), Key ?? '', { ...copied, ...(v.metadata ? { metadata: v.metadata } : {}) });
    return { CopyObjectResult: { ETag: etag } };
  });

  return {
    mock,
    buckets,
    /** The next call of `command` fails with `error` (then the fake behaves normally again). */
    failNext(command: unknown, error: unknown) {
      failures.set(command, [...(failures.get(command) ?? []), error]);
    },
    source,
    /** Stores a finished copy (multipart fakes call it on completion). */
    store(bucket: string, key: string, v: Omit<FakeVersion, 'versionId'>): string {
      return put(bucketOf(bucket), key, v);
    },
    bucket(name: string, init: Partial<FakeBucket> = {}): FakeBucket {
      const b: FakeBucket = { objectLock: false, objects: new Map(), ...init };
      buckets.set(name, b);
      return b;
    },
    /** Adds an object as a writer would (a new version when versioning is on). */
    object(bucket: string, key: string, v: Partial<Omit<FakeVersion, 'versionId'>> = {}): string {
      const b = bucketOf(bucket);
      const etag = v.etag ?? `"${(++counter).toString(16).padStart(32, 'a')}"`;
      return put(b, key, { size: 1024, legalHold: 'OFF', tags: [], ...v, etag });
    },
  };
}

/** S3's checks on a new bucket tag set against the current one (all answer 400 InvalidTag). */
function checkTagSet(current: Tag[], next: Tag[]): Tag[] {
  const system = (tags: Tag[]) => tags.filter((t) => t.Key?.startsWith('aws:'));
  const wanted = new Map(system(next).map((t) => [t.Key, t.Value]));
  if (system(current).some((t) => wanted.get(t.Key) !== t.Value)) {
    throw s3Error('InvalidTag', 400, 'System Tags cannot be removed by requester');
  }
  if (wanted.size > system(current).length) {
    throw s3Error('InvalidTag', 400, 'Your TagKey cannot be prefixed with aws:');
  }
  if (next.length - wanted.size > 50) throw s3Error('InvalidTag', 400, 'Bucket tag count cannot exceed 50');
  return next;
}

export function parseTagging(tagging: string | undefined): Tag[] {
  return [...new URLSearchParams(tagging ?? '')].map(([Key, Value]) => ({ Key, Value }));
}

/** Simplified "is public" test (S3 User Guide, "The meaning of public"): an unconditioned Allow to everyone. */
function isPublic(policy: string): boolean {
  const statements = [JSON.parse(policy).Statement].flat() as Record<string, unknown>[];
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      !s.Condition &&
      (s.Principal === '*' || (s.Principal as { AWS?: unknown } | undefined)?.AWS === '*'),
  );
}
