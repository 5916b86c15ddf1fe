import { createHash, randomUUID } from 'node:crypto';
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsCall } from '../errors.ts';
import { COPY_OBJECT_MAX_BYTES } from './multipart-copy.ts';
import { headObject } from './object-versions.ts';

/**
 * The manifests of the job path of evidence (functions-aws/executors/evidence-jobs.ts): the listing
 * streamed into CSV manifests in the evidence bucket, summarised page by page, fixed by a
 * write-once record so every attempt of one action acts on the same objects.
 */
/** One page of a manifest as the journal keeps it: counts and a digest, not the objects. */
export interface ManifestPage {
  page: number;
  objects: number;
  firstKey: string;
  lastKey: string;
  /** SHA-256 of the page's manifest lines. */
  sha256: string;
}

/** A manifest written to the evidence bucket (CSV `Bucket,Key,VersionId`, keys URL-encoded). */
export interface Manifest {
  key: string;
  etag: string;
  objects: number;
  bytes: number;
  sha256: string;
  pages: ManifestPage[];
}

/** An object too large for the job's copy (5 GiB), copied by the per-object multipart path. */
export interface LargeObject {
  key: string;
  versionId: string;
  etag: string;
  size: number;
}

/** The manifests of one pin action, fixed once by a write-once record in the evidence bucket. */
export interface PinManifests {
  /** Every pinned version: what the legal-hold job acts on. */
  hold: Manifest;
  /** The versions the copy job copies (up to 5 GiB). */
  copy: Manifest;
  large: LargeObject[];
  truncated?: string;
}

/** Above this many large objects, the rest are left to humans (each is a long multipart copy). */
export const MAX_LARGE_OBJECTS = 100;

export interface ManifestRequest {
  bucket: string;
  keys: readonly string[];
  prefixes: readonly string[];
  max: number;
  evidenceBucket: string;
  /** `incidents/<id>/batch/<action>/` */
  folder: string;
}

/**
 * The pin action's manifests: the ones recorded by an earlier attempt, or new ones from a streamed
 * listing of the current versions (ListObjectVersions, `IsLatest`), written under unique keys and
 * then fixed by the write-once `manifests.json` (a concurrent attempt that fixed its own first wins).
 */
export async function pinManifests(s3: S3Client, request: ManifestRequest): Promise<PinManifests> {
  const recordKey = `${request.folder}manifests.json`;
  const recorded = await readJson<PinManifests>(s3, request.evidenceBucket, recordKey);
  if (recorded) return recorded;
  const built = await buildManifests(s3, request);
  const fixed = await createOnce(s3, request.evidenceBucket, recordKey, `${JSON.stringify(built)}\n`);
  return fixed ? built : ((await readJson<PinManifests>(s3, request.evidenceBucket, recordKey)) ?? built);
}

async function buildManifests(s3: S3Client, request: ManifestRequest): Promise<PinManifests> {
  const { bucket, max } = request;
  const seen = new Set<string>();
  const hold = manifestWriter(bucket);
  const copy = manifestWriter(bucket);
  const large: LargeObject[] = [];
  let more = false;
  const add = (o: LargeObject) => {
    if (seen.has(o.key)) return true;
    if (seen.size >= max) {
      more = true;
      return false;
    }
    seen.add(o.key);
    hold.add(o);
    if (o.size <= COPY_OBJECT_MAX_BYTES) copy.add(o);
    else large.push(o);
    return true;
  };
  for (const key of request.keys) {
    const head = await headObject(s3, bucket, key);
    if (head) add({ key, versionId: head.versionId, etag: head.etag, size: head.size });
  }
  hold.endPage();
  copy.endPage();
  for (const prefix of request.prefixes) {
    if (more) break;
    await awsCall(async () => {
      for await (const page of listVersions(s3, bucket, prefix)) {
        for (const v of page.Versions ?? []) {
          if (!v.IsLatest || !v.Key) continue;
          const ok = add({
            key: v.Key,
            versionId: v.VersionId ?? 'null',
            etag: v.ETag ?? '',
            size: v.Size ?? 0,
          });
          if (!ok) break;
        }
        hold.endPage();
        copy.endPage();
        if (more) return;
      }
    });
  }
  const id = randomUUID();
  const written = {
    hold: await hold.write(s3, request.evidenceBucket, `${request.folder}hold-${id}.csv`),
    copy: await copy.write(s3, request.evidenceBucket, `${request.folder}copy-${id}.csv`),
    large: large.slice(0, MAX_LARGE_OBJECTS),
  };
  const notes = [
    more &&
      `more than ${max} objects matched the named keys and prefixes ${JSON.stringify(request.prefixes)}: only the first ${max} are pinned; raise limits.maxObjects or pin the rest by hand`,
    large.length > MAX_LARGE_OBJECTS &&
      `${large.length} objects are larger than 5 GiB: the first ${MAX_LARGE_OBJECTS} are copied part by part, the others are held but must be copied by hand`,
  ].filter(Boolean);
  return { ...written, ...(notes.length ? { truncated: notes.join('; ') } : {}) };
}

/** Manifest lines kept as page chunks (the body is at most `maxObjects` lines), summarised per page. */
function manifestWriter(bucket: string) {
  const chunks: string[] = [];
  const pages: ManifestPage[] = [];
  const whole = createHash('sha256');
  let lines: string[] = [];
  let first = '';
  let last = '';
  let objects = 0;
  return {
    add(o: LargeObject) {
      if (!lines.length) first = o.key;
      last = o.key;
      lines.push(`${bucket},${encodeURIComponent(o.key)},${o.versionId}\n`);
    },
    endPage() {
      if (!lines.length) return;
      const text = lines.join('');
      whole.update(text);
      chunks.push(text);
      objects += lines.length;
      pages.push({
        page: pages.length + 1,
        objects: lines.length,
        firstKey: first,
        lastKey: last,
        sha256: createHash('sha256').update(text).digest('hex'),
      });
      lines = [];
    },
    async write(s3: S3Client, evidenceBucket: string, key: string): Promise<Manifest> {
      const body = chunks.join('');
      const out = await awsCall(() =>
        s3.send(
          new PutObjectCommand({
            Bucket: evidenceBucket,
            Key: key,
            Body: body,
            ContentType: 'text/csv',
            IfNoneMatch: '*',
          }),
        ),
      );
      const bytes = Buffer.byteLength(body);
      return { key, etag: out.ETag ?? '', objects, bytes, sha256: whole.digest('hex'), pages };
    },
  };
}
async function* listVersions(s3: S3Client, bucket: string, prefix: string) {
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page: ListObjectVersionsCommandOutput = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...markers }),
    );
    yield page;
    if (!page.IsTruncated) return;
    markers = {
      ...(page.NextKeyMarker ? { KeyMarker: page.NextKeyMarker } : {}),
      ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
    };
  }
}

async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  const out = await awsCall(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), {
    NoSuchKey: () => undefined,
  });
  const text = out?.Body ? await out.Body.transformToString('utf8') : undefined;
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

async function createOnce(s3: S3Client, bucket: string, key: string, body: string): Promise<boolean> {
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
    { PreconditionFailed: () => false },
  );
}
