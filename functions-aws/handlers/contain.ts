import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { handleParsedEvent } from '../../core/handle.ts';
import { parseAwsEvent } from '../events/index.ts';
import { deadlineOf, type LambdaContext } from '../lambda-context.ts';
import { logOutcomes } from '../log-outcome.ts';
import { logger } from '../logger.ts';
import { getAwsRuntime } from '../wiring.ts';

/**
 * EventBridge target for GuardDuty, Security Hub, CloudTrail and Macie events. A rejected or
 * ignored event is logged and acknowledged (retrying it cannot help); a containment failure is
 * thrown after every alert was handled, so Lambda retries and finally dead-letters the event —
 * the journal makes a retry repeat nothing that already succeeded.
 */
export async function containHandler(event: unknown, context: LambdaContext) {
  const runtime = await getAwsRuntime();
  const parsed = parseAwsEvent(event);
  const deps = runtime.deps({ deadline: deadlineOf(context) });
  const { outcomes, failure } = await handleParsedEvent(parsed, deps, { event });
  logOutcomes(outcomes);
  if (failure) throw failure;
  return outcomes.map(({ decision, report }) => ({
    decision: decision.decision,
    reason: decision.reason,
    incidentId: decision.incidentId ?? null,
    status: report?.status ?? null,
  }));
}

export const handler = middy(containHandler).use(injectLambdaContext(logger, { resetKeys: true }));
