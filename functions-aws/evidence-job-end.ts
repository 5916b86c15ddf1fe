import type { S3Client } from '@aws-sdk/client-s3';
import { DescribeJobCommand, type S3ControlClient } from '@aws-sdk/client-s3-control';
import type { JobReport } from '../core/evidence-jobs.ts';
import { awsCall } from './errors.ts';
import { parseJobDescription, reportEtag } from './executors/evidence-jobs.ts';

/** What the job-status function calls: the job's own account of itself, and its report's ETag. */
export const JOB_STATUS_PERMISSIONS = ['s3:DescribeJob'] as const;

const STATUS = { Complete: 'complete', Failed: 'failed', Cancelled: 'cancelled' } as const;

/**
 * How a Tourniquet job ended, from DescribeJob (the event only says that something changed): its
 * incident and action from the description Tourniquet gave it, task counts, failure reasons, and
 * where its completion report is, with that report's ETag. Undefined for a job that is not
 * Tourniquet's or not finished.
 */
export async function describeJobEnd(
  control: S3ControlClient,
  s3: S3Client,
  account: string,
  jobId: string,
  now: () => Date = () => new Date(),
): Promise<JobReport | undefined> {
  const out = await awsCall(() => control.send(new DescribeJobCommand({ AccountId: account, JobId: jobId })));
  const job = out.Job;
  const ours = parseJobDescription(job?.Description);
  const status = STATUS[job?.Status as keyof typeof STATUS];
  if (!job || !ours || !status) return undefined;
  const bucket = job.Report?.Bucket?.replace(/^arn:aws[\w-]*:s3:::/, '');
  const key = job.Report?.Prefix ? `${job.Report.Prefix}/job-${jobId}/manifest.json` : undefined;
  const etag = bucket && key ? await reportEtag(s3, bucket, key) : undefined;
  const p = job.ProgressSummary;
  const reasons = (job.FailureReasons ?? []).map((r) =>
    `${r.FailureCode ?? ''} ${r.FailureReason ?? ''}`.trim(),
  );
  return {
    incidentId: ours.incidentId,
    jobId,
    status,
    at: now().toISOString(),
    tasks: {
      total: p?.TotalNumberOfTasks ?? 0,
      succeeded: p?.NumberOfTasksSucceeded ?? 0,
      failed: p?.NumberOfTasksFailed ?? 0,
    },
    ...(bucket && key ? { report: { location: `s3://${bucket}/${key}`, ...(etag ? { etag } : {}) } } : {}),
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
}
