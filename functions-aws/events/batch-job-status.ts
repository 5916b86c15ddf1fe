/**
 * S3 Batch Operations job status changes as EventBridge delivers them: the CloudTrail service event
 * `JobStatusChanged` (source `aws.s3`, detail-type `AWS Service Event via CloudTrail`; S3 User Guide
 * "Tracking an S3 Batch Operations job in Amazon EventBridge through AWS CloudTrail"). Only the job
 * id and status are read; everything else comes from DescribeJob, which is the authority.
 */
export type JobStatusEvent =
  | { kind: 'job'; account: string; jobId: string; status: string; terminal: boolean }
  | { kind: 'ignored' | 'rejected'; reason: string };

/** The job statuses after which nothing changes any more (S3 Control `JobStatus`). */
export const TERMINAL_JOB_STATUSES = ['Complete', 'Failed', 'Cancelled'] as const;

const JOB_ID = /^[a-zA-Z0-9-_]{5,36}$/;

export function parseJobStatusEvent(event: unknown): JobStatusEvent {
  if (!event || typeof event !== 'object')
    return { kind: 'rejected', reason: 'the event is not a JSON object' };
  const e = event as Record<string, unknown>;
  if (e.source !== 'aws.s3' || e['detail-type'] !== 'AWS Service Event via CloudTrail')
    return {
      kind: 'ignored',
      reason: `not an S3 service event (${String(e.source)}, ${String(e['detail-type'])})`,
    };
  const detail = (e.detail ?? {}) as Record<string, unknown>;
  if (detail.eventSource !== 's3.amazonaws.com' || detail.eventName !== 'JobStatusChanged')
    return {
      kind: 'ignored',
      reason: `not a Batch Operations job status change (${String(detail.eventName)})`,
    };
  const account = typeof e.account === 'string' && /^\d{12}$/.test(e.account) ? e.account : undefined;
  const details = (detail.serviceEventDetails ?? {}) as Record<string, unknown>;
  const jobId = typeof details.jobId === 'string' && JOB_ID.test(details.jobId) ? details.jobId : undefined;
  const status =
    typeof details.status === 'string' && /^[A-Za-z]{1,32}$/.test(details.status)
      ? details.status
      : undefined;
  if (!account || !jobId || !status)
    return {
      kind: 'rejected',
      reason: 'JobStatusChanged without a valid account, serviceEventDetails.jobId or status',
    };
  const terminal = (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);
  return { kind: 'job', account, jobId, status, terminal };
}
