import { CopyObjectCommand, GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { ActionError, TransientError } from '../../core/errors.ts';
import type { Applied, ExecContext, Executor } from '../../core/executor.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import type { CopyEvidence } from '../../packs/aws/actions.ts';
import { type ClientsFor, evidenceS3 } from '../clients.ts';
import { awsCall } from '../errors.ts';
import { createEvidenceJob, type EvidenceJobs, jobFolder } from './evidence-jobs.ts';
import { COPY_OBJECT_MAX_BYTES, multipartCopy } from './multipart-copy.ts';
import { type ObjectVersion, versionMetadata } from './object-versions.ts';
import type { PinDetails } from './pin-objects.ts';

/** Objects copied at once (each large one has its own `partConcurrency` parts in flight). */
export const COPY_CONCURRENCY = 16;

const TAG = {
  incident: 'tourniquet:incident',
  etag: 'tourniquet:source-etag',
  version: 'tourniquet:source-version',
};

/**
 * Copies already in the evidence bucket, by destination key, with the source they were made from
 * (read from the copy's tags: `MetadataDirective: 'COPY'` keeps the source's metadata, so the
 * identity of the source travels in tags, which HeadObject cannot show).
 */
export interface CopyBefore {
  existing: Record<string, { sourceEtag?: string; sourceVersion?: string }>;
}

export interface CopiedObject {
  key: string;
  destinationKey: string;
  sourceVersion: string;
  etag: string;
  size: number;
  /** ETag of the copy (a multipart copy's ETag is not a digest of the object). */
  copyEtag?: string;
  parts?: number;
  skipped?: 'already-copied';
}

/**
 * Server-side copies of the pinned versions into the evidence bucket: `CopyObject` up to 5 GB,
 * multipart `UploadPartCopy` above it, every request guarded by `CopySourceIfMatch` on the recorded
 * ETag. No object body ever passes through the function. Evidence is kept on release.
 */
export function copyEvidence(clients: ClientsFor, jobs?: EvidenceJobs): Executor<CopyEvidence, CopyBefore> {
  // Copies this process has started: a retry of apply (same before-state) asks the target's tags
  // again before copying, since a copy whose answer was lost is there although the before-state
  // does not say so (a second CopyObject would add a second version of the same evidence).
  const started = new Set<string>();
  return {
    permissions: [
      // The job path: a copy job over the pin action's manifest.
      'iam:PassRole',
      's3:CreateJob',
      's3:AbortMultipartUpload',
      // Source reads by CopyObject / UploadPartCopy (GetObjectVersion when a version is named).
      's3:GetObject',
      's3:GetObjectVersion',
      // Reading which copies exist already.
      's3:GetObjectTagging',
      // CopyObject, CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload.
      's3:PutObject',
      // Tags on the copies.
      's3:PutObjectTagging',
    ],

    async read(action, ctx) {
      const { evidenceBucket, evidencePrefix } = action.params;
      const s3 = evidenceS3(await clients(action.account, ctx.incidentId));
      const keys = toCopy(action, ctx).map((o) => evidencePrefix + o.key);
      const tags = valuesOrThrow(
        await mapLimit(keys, COPY_CONCURRENCY * 2, (k) => copyTags(s3, evidenceBucket, k)),
      );
      const existing: CopyBefore['existing'] = {};
      keys.forEach((key, i) => {
        const t = tags[i];
        if (t) existing[key] = { sourceEtag: t[TAG.etag], sourceVersion: t[TAG.version] };
      });
      return { existing };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const s3 = evidenceS3(await clients(action.account, ctx.incidentId));
      const pin = pinDetails(action, ctx);
      // The job path: one job copies the manifest's objects; the large ones are copied here.
      const job =
        pin.manifests && jobs
          ? await createEvidenceJob(jobs, {
              incidentId: ctx.incidentId,
              actionId: action.id,
              operation: 'copy',
              manifest: pin.manifests.copy,
              evidenceBucket: action.params.evidenceBucket,
              targetPrefix: action.params.evidencePrefix,
              folder: jobFolder(ctx.incidentId, action.id),
            })
          : undefined;
      if (pin.manifests && !job)
        throw new ActionError(
          'the pin action used an S3 Batch Operations job, which this deployment cannot create',
        );
      const objects = toCopy(action, ctx);
      const results = await mapLimit(objects, COPY_CONCURRENCY, (o) =>
        copyOne(s3, action, before, o, ctx, started),
      );
      const failures = results.flatMap((r, i) =>
        r.status === 'rejected' ? [{ key: objects[i]?.key, error: r.reason as Error }] : [],
      );
      if (failures.length) {
        const summary = `${failures.length} of ${objects.length} evidence copies failed: ${failures
          .slice(0, 5)
          .map((f) => `${f.key}: ${f.error.message}`)
          .join('; ')}`;
        const Err = failures.every((f) => f.error instanceof TransientError) ? TransientError : ActionError;
        throw new Err(summary, { cause: failures[0]?.error });
      }
      const copied = valuesOrThrow(results);
      const fresh = copied.filter((c) => !c.skipped).length;
      return {
        outcome: fresh || job ? 'applied' : 'already-applied',
        details: { objects: copied, bytesThroughFunction: 0, ...(job ? { job } : {}) },
      };
    },

    async undo() {
      return {
        outcome: 'already-applied',
        details: { note: 'evidence copies are kept (Object Lock on the evidence bucket)' },
      };
    },
  };
}

/**
 * The versions to copy one by one: every pinned version, or on the job path only those above the
 * job copy's 5 GiB limit. Without the pin's record there is nothing to copy.
 */
function toCopy(action: CopyEvidence, ctx: ExecContext): ObjectVersion[] {
  const pin = pinDetails(action, ctx);
  return pin.manifests
    ? pin.manifests.large.map((o) => ({ ...o, checksums: {}, legalHold: 'OFF' as const }))
    : pin.objects;
}

function pinDetails(action: CopyEvidence, ctx: ExecContext): PinDetails {
  const pin = ctx.results.get(action.params.pinAction)?.details as PinDetails | undefined;
  if (!pin?.objects) {
    throw new ActionError(
      `copy-evidence needs the versions recorded by ${action.params.pinAction}, which are missing: ` +
        'run pin-objects first (the plan orders it so)',
    );
  }
  return pin;
}

async function copyOne(
  s3: S3Client,
  action: CopyEvidence,
  before: CopyBefore,
  o: ObjectVersion,
  ctx: ExecContext,
  started: Set<string>,
): Promise<CopiedObject> {
  const { bucket, evidenceBucket, evidencePrefix, partSizeBytes, partConcurrency } = action.params;
  const destinationKey = evidencePrefix + o.key;
  const record = { key: o.key, destinationKey, sourceVersion: o.versionId, etag: o.etag, size: o.size };
  const once = `${ctx.incidentId}|${destinationKey}|${o.versionId}`;
  const tags = started.has(once) ? await copyTags(s3, evidenceBucket, destinationKey) : undefined;
  const have = tags
    ? { sourceEtag: tags[TAG.etag], sourceVersion: tags[TAG.version] }
    : before.existing[destinationKey];
  if (have?.sourceEtag === bareEtag(o.etag) && have.sourceVersion === o.versionId) {
    return { ...record, skipped: 'already-copied' };
  }
  started.add(once);
  const copySource = `${bucket}/${o.key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(o.versionId)}`;
  const tagging = new URLSearchParams({
    [TAG.incident]: ctx.incidentId,
    [TAG.etag]: bareEtag(o.etag),
    [TAG.version]: o.versionId,
  }).toString();
  const changed = (error: unknown) => {
    throw new ActionError(
      `s3://${bucket}/${o.key} no longer matches the pinned ETag ${o.etag}: it was overwritten before ` +
        'versioning could keep it (the bucket was unversioned); the recorded checksums remain the evidence',
      { cause: error },
    );
  };
  if (o.size > COPY_OBJECT_MAX_BYTES) {
    // The exact version's metadata, as CopyObject's MetadataDirective COPY would keep it.
    const head = await versionMetadata(s3, bucket, o);
    if (head.etag !== o.etag) changed(new Error(`HeadObject ETag ${head.etag}`));
    const req = { bucket: evidenceBucket, key: destinationKey, copySource, etag: o.etag, size: o.size };
    const options = { partSizeBytes, partConcurrency, tagging, metadata: head.metadata };
    const done = await awsCall(() => multipartCopy(s3, { ...req, ...options }), {
      PreconditionFailed: changed,
    });
    return { ...record, copyEtag: done.etag, parts: done.parts };
  }
  const out = await awsCall(
    () =>
      s3.send(
        new CopyObjectCommand({
          Bucket: evidenceBucket,
          Key: destinationKey,
          CopySource: copySource,
          CopySourceIfMatch: o.etag,
          MetadataDirective: 'COPY',
          TaggingDirective: 'REPLACE',
          Tagging: tagging,
        }),
      ),
    { PreconditionFailed: changed },
  );
  return { ...record, copyEtag: out.CopyObjectResult?.ETag ?? '' };
}

async function copyTags(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<Record<string, string> | undefined> {
  const out = await awsCall(() => s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key })), {
    NoSuchKey: () => undefined,
  });
  if (!out) return undefined;
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** ETags come quoted (`"9b2c…"`); tag values may not contain quotes. */
function bareEtag(etag: string): string {
  return etag.replace(/"/g, '');
}
