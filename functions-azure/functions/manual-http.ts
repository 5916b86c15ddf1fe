import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  ContainmentFailedError,
  describeError,
  IncidentInProgressError,
  IncidentNotFoundError,
  RejectedInputError,
} from '../../core/errors.ts';
import { type ManualResult, runManualCommand } from '../../core/manual.ts';
import { parseManualCommand } from '../../core/manual-command.ts';
import { invocationLog } from '../log.ts';
import type { AzureRuntime } from '../runtime.ts';
import { ANSWER_WITHIN_MS, json, RUN_FOR_MS, readJson, withinDeadline } from './http.ts';

/**
 * The HTTP function (function key): the same `plan`, `contain` and `release` commands as the
 * Lambda `manual` handler and the CLI. Bad input is a 400 that says what was wrong; no answer
 * carries a stack trace. It answers within 230 s: if containment is still running at 200 s, a 202
 * says so and the work continues (re-sending the command resumes it from the journal).
 */
export function manualHandler(getRuntime: () => Promise<AzureRuntime>, answerWithinMs = ANSWER_WITHIN_MS) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = invocationLog(context);
    const read = await readJson(request);
    if ('response' in read) return read.response;
    let command: ReturnType<typeof parseManualCommand>;
    try {
      command = parseManualCommand(read.body);
    } catch (error) {
      return json(400, { error: (error as Error).message });
    }
    let runtime: AzureRuntime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      log.error('configuration invalid', { error: describeError(error) });
      return json(500, {
        error: `Tourniquet is not configured, nothing was done: ${(error as Error).message}`,
      });
    }
    const incidentId = 'incidentId' in command ? command.incidentId : undefined;
    log.info('manual command', {
      command: command.command,
      incidentId,
      ...('approver' in command ? { approver: command.approver } : {}),
    });
    const deps = runtime.deps({ deadline: new Date(Date.now() + RUN_FOR_MS) });
    const work = runManualCommand(command, deps, runtime.parsers);
    try {
      const result = await withinDeadline(work, answerWithinMs);
      if (!result) {
        const late = (error: unknown) =>
          log.error('manual command failed after the answer', { incidentId, error: describeError(error) });
        work.then((done) => done.command !== 'plan' && done.failure && late(done.failure), late);
        return json(202, {
          status: 'still running',
          incidentId,
          hint: 'send the same command again to see the result; finished steps are not repeated',
        });
      }
      const done = result.done;
      if (done.command === 'plan' || !done.failure) return json(200, body(done));
      log.error('manual command failed', {
        command: command.command,
        incidentId,
        error: describeError(done.failure),
      });
      return failure(done.failure, done);
    } catch (error) {
      log.error('manual command failed', {
        command: command.command,
        incidentId,
        error: describeError(error),
      });
      return failure(error);
    }
  };
}

function body(result: ManualResult): unknown {
  if (result.command === 'contain') {
    return {
      command: 'contain',
      outcomes: result.outcomes.map((o) => ({ decision: o.decision, report: o.report, error: o.error })),
    };
  }
  return result;
}

/**
 * The answer to a command that failed: thrown before it could start (`error` only), or a failure
 * value of a contain or release that ran (`done`: what it did, for the answer).
 */
function failure(error: unknown, done?: Exclude<ManualResult, { command: 'plan' }>): HttpResponseInit {
  const message = (error as Error).message ?? String(error);
  if (error instanceof RejectedInputError) return json(400, { error: message });
  if (error instanceof IncidentNotFoundError) return json(404, { error: message });
  if (error instanceof IncidentInProgressError)
    return json(409, { error: message, hint: 'retry in a minute' });
  const report = done?.command === 'release' ? done.report : done?.outcomes.find((o) => o.error)?.report;
  if (error instanceof ContainmentFailedError)
    return json(502, { error: message, failures: error.failures, report });
  const outcomes = done?.command === 'contain' ? done.outcomes : undefined;
  return json(500, { error: describeError(error), ...(outcomes ? { outcomes } : {}) });
}
