import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { parseJobStatusEvent } from '../events/batch-job-status.ts';
import { logger } from '../logger.ts';
import { getAwsRuntime } from '../wiring.ts';

/**
 * EventBridge target for S3 Batch Operations `JobStatusChanged` events: when a job an incident
 * started ends, its end (status, task counts, completion report) goes into that incident's
 * journal and the evidence pack is written again. Other jobs and unfinished states change nothing;
 * a failure to record is thrown, so EventBridge retries (a repeated report records nothing twice).
 */
export async function evidenceJobHandler(event: unknown) {
  const parsed = parseJobStatusEvent(event);
  if (parsed.kind !== 'job' || !parsed.terminal) {
    const reason = parsed.kind === 'job' ? `job ${parsed.jobId} is ${parsed.status}` : parsed.reason;
    logger.info('evidence job event left alone', { reason });
    return { status: 'ignored', reason };
  }
  const runtime = await getAwsRuntime();
  if (!runtime.evidenceJobEnded) {
    logger.warn('evidence job event, but no Batch Operations role is configured', { jobId: parsed.jobId });
    return { status: 'ignored', reason: 'TOURNIQUET_BATCH_ROLE_ARN is not set' };
  }
  const result = await runtime.evidenceJobEnded(parsed.account, parsed.jobId);
  if (result.status === 'unknown-job')
    logger.info('evidence job event left alone', { reason: result.reason });
  else
    logger.info(result.pending.length ? 'evidence job ended' : 'evidence complete', {
      incidentId: result.incidentId,
      actionId: result.actionId,
      jobId: parsed.jobId,
      status: result.status,
      pending: result.pending,
    });
  return result;
}

export const handler = middy(evidenceJobHandler).use(injectLambdaContext(logger, { resetKeys: true }));
