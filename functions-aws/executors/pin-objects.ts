import {
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectLegalHoldCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { StartedJob } from '../../core/evidence-jobs.ts';
import type { Applied, ExecContext, Executor } from '../../core/executor.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import type { PinObjects } from '../../packs/aws/actions.ts';
import { type ClientsFor, evidenceS3 } from '../clients.ts';
import { awsCall } from '../errors.ts';
import {
  createEvidenceJob,
  EVIDENCE_JOB_PERMISSIONS,
  type EvidenceJobs,
  jobFolder,
} from './evidence-jobs.ts';
import { type PinManifests, pinManifests } from './evidence-manifests.ts';
import { headObject, type ObjectVersion, pinCandidates } from './object-versions.ts';

/** HEADs and legal holds in flight at once: enough to pin 1,000 objects in ~30 rounds. */
export const PIN_CONCURRENCY = 32;

/**
 * Everything pinning needs to know, read without changing anything: versioning, Object Lock, and
 * each object's current version, ETag, size, checksums and legal hold. Recording the objects here,
 * before any hold is placed, is what lets release lift only the holds Tourniquet placed, even when
 * an attempt failed half-way and a retry found some holds already on.
 */
export interface PinBefore {
  versioning: 'Enabled' | 'Suspended' | null;
  objectLock: boolean;
  objects: ObjectVersion[];
  /** Named keys that do not exist (deleted, or only a delete marker left). */
  missing: string[];
  /** Set when more objects matched than `maxObjects`: what was left out, in words. */
  truncated?: string;
  /** More objects than `limits.evidenceJobAbove`: pinned by an S3 Batch Operations job, not one by one. */
  viaJob?: string;
}

/** What copy-evidence reads through `ctx.results.get(pinAction).details`. */
export interface PinDetails {
  objects: (ObjectVersion & { legalHold: 'ON' | 'OFF'; legalHoldPlaced: boolean })[];
  missing: string[];
  /** Versioning was already Enabled before this action (false: Tourniquet enabled it). */
  versioningWasEnabled: boolean;
  legalHold: 'placed' | 'no-object-lock' | 'not-requested' | 'by-job';
  truncated?: string;
  /** The job path: the manifests (the versions pinned, summarised per page) and the hold job. */
  manifests?: PinManifests;
  job?: StartedJob;
}

/**
 * Preserves the versions an incident is about: versioning on (so nothing can be overwritten or
 * deleted for good), every version recorded with its provider checksums, and an Object Lock legal
 * hold on each where the bucket has Object Lock.
 */
export function pinObjects(clients: ClientsFor, jobs?: EvidenceJobs): Executor<PinObjects, PinBefore> {
  return {
    permissions: [
      // The job path (home account, more than limits.evidenceJobAbove objects).
      ...EVIDENCE_JOB_PERMISSIONS,
      's3:GetBucketObjectLockConfiguration',
      's3:GetBucketVersioning',
      // HeadObject
      's3:GetObject',
      // Lets HeadObject report the legal hold status.
      's3:GetObjectLegalHold',
      // ListObjectsV2
      's3:ListBucket',
      's3:PutBucketVersioning',
      's3:PutObjectLegalHold',
    ],

    async read(action, ctx) {
      const { bucket, keys, prefixes, maxObjects } = action.params;
      const s3 = evidenceS3(await clients(action.account, ctx.incidentId));
      const job = jobs && action.account === jobs.homeAccount && maxObjects > jobs.above ? jobs : undefined;
      const [versioning, lock, candidates] = await Promise.all([
        awsCall(() => s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))),
        awsCall(() => s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })), {
          ObjectLockConfigurationNotFoundError: () => undefined,
        }),
        pinCandidates(s3, bucket, keys, prefixes, job ? job.above : maxObjects),
      ]);
      const state = {
        versioning: versioning.Status ?? null,
        objectLock: lock?.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled',
      };
      // Too many for one invocation: no HEAD per object; the job path lists and pins in apply.
      if (job && candidates.more) {
        const viaJob = `more than ${job.above} objects (limits.evidenceJobAbove): pinned by an S3 Batch Operations job`;
        return { ...state, objects: [], missing: [], viaJob };
      }
      const heads = valuesOrThrow(
        await mapLimit(candidates.keys, PIN_CONCURRENCY, (key) => headObject(s3, bucket, key)),
      );
      const objects = heads.filter((h): h is ObjectVersion => !!h);
      const missing = candidates.keys.filter((key, i) => !heads[i] && keys.includes(key));
      return {
        ...state,
        objects,
        missing,
        ...(candidates.more
          ? {
              truncated:
                `more than ${maxObjects} objects matched the named keys and prefixes ${JSON.stringify(prefixes)}: ` +
                `only the first ${maxObjects} are pinned; raise limits.maxObjects or pin the rest by hand`,
            }
          : {}),
      };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const { bucket } = action.params;
      const s3 = evidenceS3(await clients(action.account, ctx.incidentId));
      const enable = before.versioning !== 'Enabled';
      if (enable) await setVersioning(s3, bucket, 'Enabled');
      if (before.viaJob && jobs) return pinByJob(s3, jobs, action, before, ctx.incidentId, enable);
      const hold = holdsApply(action, before);
      const toHold = hold ? before.objects.filter((o) => o.legalHold !== 'ON') : [];
      valuesOrThrow(await mapLimit(toHold, PIN_CONCURRENCY, (o) => setLegalHold(s3, bucket, o, 'ON')));
      const placed = new Set(toHold);
      const details: PinDetails = {
        objects: before.objects.map((o) => ({
          ...o,
          legalHold: hold ? 'ON' : o.legalHold,
          legalHoldPlaced: placed.has(o),
        })),
        missing: before.missing,
        versioningWasEnabled: !enable,
        legalHold: !action.params.legalHold
          ? 'not-requested'
          : before.objectLock
            ? 'placed'
            : 'no-object-lock',
        ...(before.truncated ? { truncated: before.truncated } : {}),
      };
      return { outcome: enable || placed.size ? 'applied' : 'already-applied', details: { ...details } };
    },

    async undo(action, before, ctx: ExecContext): Promise<Applied> {
      const { bucket } = action.params;
      const s3 = evidenceS3(await clients(action.account, ctx.incidentId));
      // Only holds Tourniquet placed: a hold that was on before belongs to someone else's case.
      const placed = holdsApply(action, before) ? before.objects.filter((o) => o.legalHold !== 'ON') : [];
      const lifted = valuesOrThrow(
        await mapLimit(placed, PIN_CONCURRENCY, (o) =>
          awsCall(() => setLegalHold(s3, bucket, o, 'OFF').then(() => true), {
            NoSuchKey: () => false,
            NoSuchVersion: () => false,
          }),
        ),
      ).filter(Boolean).length;
      // A bucket that was never versioned can only go back to Suspended: S3 cannot unversion one.
      const suspend = before.versioning !== 'Enabled';
      if (suspend) await setVersioning(s3, bucket, 'Suspended');
      return {
        outcome: lifted || suspend ? 'applied' : 'already-applied',
        details: {
          legalHoldsLifted: lifted,
          versioning: suspend ? 'Suspended' : 'unchanged',
          // Which holds were on before a job placed them was never read (no HEAD per object).
          ...(before.viaJob && holdsApply(action, before)
            ? {
                legalHolds:
                  'kept: placed by an S3 Batch Operations job; lift them by hand with a job over its manifest',
              }
            : {}),
        },
      };
    },
  };
}

/**
 * The job path: versioning is on already; the streamed listing becomes the manifests (fixed once
 * for every attempt), and one job places the legal holds where the bucket has Object Lock.
 */
async function pinByJob(
  s3: S3Client,
  jobs: EvidenceJobs,
  action: PinObjects,
  before: PinBefore,
  incidentId: string,
  enabled: boolean,
): Promise<Applied> {
  const { bucket, keys, prefixes, maxObjects, legalHold } = action.params;
  const folder = jobFolder(incidentId, action.id);
  const evidenceBucket = jobs.evidenceBucket;
  const manifests = await pinManifests(s3, {
    bucket,
    keys,
    prefixes,
    max: maxObjects,
    evidenceBucket,
    folder,
  });
  const job = holdsApply(action, before)
    ? await createEvidenceJob(jobs, {
        incidentId,
        actionId: action.id,
        operation: 'legal-hold',
        manifest: manifests.hold,
        evidenceBucket,
        folder,
      })
    : undefined;
  const details: PinDetails = {
    objects: [],
    missing: [],
    versioningWasEnabled: !enabled,
    legalHold: !legalHold ? 'not-requested' : before.objectLock ? 'by-job' : 'no-object-lock',
    manifests,
    ...(job ? { job } : {}),
    ...(manifests.truncated ? { truncated: manifests.truncated } : {}),
  };
  return { outcome: 'applied', details: { ...details } };
}

function holdsApply(action: PinObjects, before: PinBefore): boolean {
  return action.params.legalHold && before.objectLock;
}

function setVersioning(s3: S3Client, bucket: string, status: 'Enabled' | 'Suspended') {
  return awsCall(() =>
    s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } })),
  );
}

function setLegalHold(s3: S3Client, bucket: string, object: ObjectVersion, status: 'ON' | 'OFF') {
  return awsCall(() =>
    s3.send(
      new PutObjectLegalHoldCommand({
        Bucket: bucket,
        Key: object.key,
        VersionId: object.versionId,
        LegalHold: { Status: status },
      }),
    ),
  );
}
