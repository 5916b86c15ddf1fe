import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import type { AlertOutcome } from '../../core/handle.ts';
import { runManualCommand } from '../../core/manual.ts';
import { parseManualCommand } from '../../core/manual-command.ts';
import { deadlineOf, type LambdaContext } from '../lambda-context.ts';
import { logOutcomes } from '../log-outcome.ts';
import { logger } from '../logger.ts';
import { getAwsRuntime } from '../wiring.ts';

/**
 * By-hand commands from the Lambda console's Test tab or `aws lambda invoke`:
 * `{"command":"plan","event":{…}}`, `{"command":"contain","target":{"principal":"arn:…","stores":["models-prod"]},
 * "incidentId":"…","approver":"…","reason":"…"}`, `{"command":"release","incidentId":"…","approver":"…","reason":"…"}`.
 * Answers `{ ok, … }` and never throws: a person reads the answer.
 */
export async function manualHandler(event: unknown, context: LambdaContext) {
  try {
    const runtime = await getAwsRuntime();
    const command = parseManualCommand(event);
    if ('incidentId' in command && command.incidentId) logger.appendKeys({ incidentId: command.incidentId });
    logger.info(`manual ${command.command}`, {
      ...('approver' in command ? { approver: command.approver, reason: command.reason } : {}),
    });
    const result = await runManualCommand(
      command,
      runtime.deps({ deadline: deadlineOf(context) }),
      runtime.parsers,
    );
    if (result.command === 'contain') logOutcomes(result.outcomes);
    if (result.command === 'plan' || !result.failure) return { ok: true, ...result };
    const { failure, ...done } = result;
    logger.error('manual command failed', { error: describeError(failure) });
    return { ok: false, error: describeError(failure), ...failed(done) };
  } catch (error) {
    logger.error('manual command failed', { error: describeError(error) });
    return { ok: false, error: error instanceof RejectedInputError ? error.message : describeError(error) };
  }
}

/** What a failed contain or release had done: the outcomes, and the report of the run that failed. */
function failed(
  done: { command: 'contain'; outcomes: AlertOutcome[] } | { command: 'release'; report: unknown },
) {
  if (done.command === 'release') return { report: done.report };
  const report = done.outcomes.find((o) => o.error)?.report;
  return { outcomes: done.outcomes, ...(report ? { report } : {}) };
}

export const handler = middy(manualHandler).use(injectLambdaContext(logger, { resetKeys: true }));
