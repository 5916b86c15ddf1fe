import { createHash } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CreateJobCommandInput, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { StartedJob } from '../../core/evidence-jobs.ts';
import { awsCall } from '../errors.ts';
import type { Manifest } from './evidence-manifests.ts';

/**
 * The job path of evidence (S3 Batch Operations) for buckets with more objects than one invocation
 * can pin and copy: the listing is streamed into manifests in the evidence bucket, summarised page
 * by page; one job places the legal holds and one copies, each created once (a client request token
 * derived from the incident, the action and the operation, over a manifest fixed by a write-once
 * record), each writing its completion report next to the manifests.
 */
export interface EvidenceJobs {
  /** Above this many objects in one bucket, the jobs take over (`limits.evidenceJobAbove`). */
  above: number;
  /** The role S3 Batch Operations acts as (serverless.yml `BatchOperationsRole`). */
  roleArn: string;
  /** Jobs run in the home account only: member buckets keep the per-object path, capped. */
  homeAccount: string;
  /** Where manifests and completion reports go (`aws.evidenceBucket`). */
  evidenceBucket: string;
  /** The S3 Control client, built on first use: most incidents never need it. */
  control: () => Promise<S3ControlClient>;
}

/** What the job path calls beyond the per-object path: listing versions, creating the jobs. */
export const EVIDENCE_JOB_PERMISSIONS = ['iam:PassRole', 's3:CreateJob', 's3:ListBucketVersions'] as const;

export type JobOperation = 'legal-hold' | 'copy';

export interface JobRequest {
  incidentId: string;
  actionId: string;
  operation: JobOperation;
  manifest: Manifest;
  evidenceBucket: string;
  /** Where the copies go (copy): the per-object path's destination prefix. */
  targetPrefix?: string;
  /** `incidents/<id>/batch/<action>/`: the completion report lands under it. */
  folder: string;
}

/**
 * Creates the job once: the token is the same for every attempt of the action, and so is the
 * manifest, so a redelivery gets the job the first attempt created instead of a second one.
 */
export async function createEvidenceJob(jobs: EvidenceJobs, request: JobRequest): Promise<StartedJob> {
  const { CreateJobCommand } = await import('@aws-sdk/client-s3-control');
  const control = await jobs.control();
  const input = jobInput(jobs, request);
  const out = await awsCall(() => control.send(new CreateJobCommand(input)));
  if (!out.JobId) throw new Error('CreateJob returned no job id');
  return {
    id: out.JobId,
    engine: 's3-batch-operations',
    operation: request.operation,
    objects: request.manifest.objects,
    reportPrefix: `s3://${request.evidenceBucket}/${reportPrefix(request)}`,
  };
}

/** The exact CreateJob request (tests assert it). */
export function jobInput(jobs: EvidenceJobs, request: JobRequest): CreateJobCommandInput {
  const { incidentId, actionId, operation, manifest, evidenceBucket } = request;
  const copyTarget = (request.targetPrefix ?? '').replace(/\/$/, '');
  return {
    AccountId: jobs.homeAccount,
    ConfirmationRequired: false,
    ClientRequestToken: jobToken(incidentId, actionId, operation),
    Description: jobDescription(incidentId, actionId, operation),
    Priority: 10,
    RoleArn: jobs.roleArn,
    Operation:
      operation === 'legal-hold'
        ? { S3PutObjectLegalHold: { LegalHold: { Status: 'ON' } } }
        : {
            S3PutObjectCopy: {
              TargetResource: `arn:aws:s3:::${evidenceBucket}`,
              // S3 puts each copy at <prefix>/<source key>: the per-object path's destination keys.
              TargetKeyPrefix: copyTarget,
              MetadataDirective: 'COPY',
              NewObjectTagging: [{ Key: 'tourniquet:incident', Value: incidentId }],
            },
          },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
      Location: { ObjectArn: `arn:aws:s3:::${evidenceBucket}/${manifest.key}`, ETag: manifest.etag },
    },
    Report: {
      Enabled: true,
      Bucket: `arn:aws:s3:::${evidenceBucket}`,
      Prefix: reportPrefix(request),
      Format: 'Report_CSV_20180820',
      ReportScope: 'AllTasks',
    },
  };
}

const reportPrefix = (r: Pick<JobRequest, 'folder' | 'operation'>) => `${r.folder}reports/${r.operation}`;

/** At most 64 characters; the same for every attempt of one action's job. */
export function jobToken(incidentId: string, actionId: string, operation: JobOperation): string {
  return createHash('sha256').update(`tourniquet/${incidentId}/${actionId}/${operation}`).digest('hex');
}

/** What the job-status function reads back to find the incident (DescribeJob's Description). */
export function jobDescription(incidentId: string, actionId: string, operation: JobOperation): string {
  return `tourniquet ${incidentId} ${actionId} ${operation}`;
}

export function parseJobDescription(
  text: string | undefined,
): { incidentId: string; actionId: string; operation: JobOperation } | undefined {
  const m = /^tourniquet ([A-Za-z0-9][A-Za-z0-9._-]{2,99}) (a\d{1,4}) (legal-hold|copy)$/.exec(text ?? '');
  return m
    ? { incidentId: m[1] as string, actionId: m[2] as string, operation: m[3] as JobOperation }
    : undefined;
}

/** The folder of one action's manifests and job reports in the evidence bucket. */
export function jobFolder(incidentId: string, actionId: string): string {
  return `incidents/${incidentId}/batch/${actionId}/`;
}

/** ListObjectVersions page by page (the SDK has no paginator for it): only one page in memory. */
/** The ETag of the engine's completion report manifest, when it is there. */
export async function reportEtag(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const out = await awsCall(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), {
    NotFound: () => undefined,
    NoSuchKey: () => undefined,
  });
  return out?.ETag;
}
