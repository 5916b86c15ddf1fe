import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { expireGrants } from '../../core/posture/grant-index.ts';
import { deadlineOf, type LambdaContext } from '../lambda-context.ts';
import { logger } from '../logger.ts';
import { getAwsRuntime } from '../wiring.ts';

/**
 * The `grants` Lambda (EventBridge schedule, every 5 minutes): takes back every just-in-time grant
 * whose expiry has passed, with the same journaled release as `tourniquet release`. The grant has
 * already stopped working by its own `DateLessThan aws:CurrentTime`; this removes the policy and
 * restores a standing-access Deny it had opened. A failed grant is tried again next run.
 */
export async function grantsHandler(_event: unknown, context: LambdaContext) {
  const runtime = await getAwsRuntime();
  const outcomes = await expireGrants(
    runtime.store,
    runtime.deps({ deadline: deadlineOf(context) }),
    new Date(),
  );
  for (const o of outcomes) {
    if (o.error) logger.error('grant not taken back', { incidentId: o.incidentId, error: o.error });
    else logger.info('grant taken back', { incidentId: o.incidentId, status: o.report?.status });
  }
  return outcomes.map((o) => ({
    incidentId: o.incidentId,
    status: o.report?.status ?? 'failed',
    ...(o.error ? { error: o.error } : {}),
  }));
}

export const handler = middy(grantsHandler).use(injectLambdaContext(logger, { resetKeys: true }));
