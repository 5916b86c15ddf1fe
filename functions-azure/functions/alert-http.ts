import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { describeError } from '../../core/errors.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { parseAzureEvent, validationCode } from '../events/index.ts';
import { redactEvent } from '../events/redact.ts';
import { invocationLog } from '../log.ts';
import { logOutcomes } from '../log-outcome.ts';
import type { AzureRuntime } from '../runtime.ts';
import { ANSWER_WITHIN_MS, json, RUN_FOR_MS, readJson, withinDeadline } from './http.ts';

/**
 * The alert webhook (function key): an Azure Monitor action group ("Azure Function" or webhook
 * action, common alert schema), a Logic App from Defender workflow automation, or an Event Grid
 * webhook subscription posts here, and containment runs as for Event Grid. Subscription
 * validation is answered (Event Grid schema: `validationResponse`; CloudEvents: the OPTIONS
 * handshake), never acted on.
 */
export function alertHandler(getRuntime: () => Promise<AzureRuntime>, answerWithinMs = ANSWER_WITHIN_MS) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const log = invocationLog(context);
    if (request.method === 'OPTIONS') {
      const origin = request.headers.get('webhook-request-origin');
      return origin
        ? { status: 200, headers: { 'WebHook-Allowed-Origin': origin } }
        : json(400, { error: 'not a CloudEvents handshake' });
    }
    const read = await readJson(request);
    if ('response' in read) return read.response;
    const code = validationCode(read.body);
    if (code) {
      log.info('answered an Event Grid subscription validation');
      return json(200, { validationResponse: code });
    }
    const parsed = parseAzureEvent(read.body);
    if (parsed.kind === 'rejected') return json(400, { decision: 'reject', reason: parsed.reason });
    if (parsed.kind === 'ignored') return json(200, { decision: 'ignore', reason: parsed.reason });
    let runtime: AzureRuntime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      log.error('configuration invalid', { error: describeError(error) });
      return json(500, {
        error: `Tourniquet is not configured, nothing was done: ${(error as Error).message}`,
      });
    }
    const deps = runtime.deps({ deadline: new Date(Date.now() + RUN_FOR_MS) });
    const work = handleParsedEvent(parsed, deps, { event: redactEvent(read.body) });
    try {
      const result = await withinDeadline(work, answerWithinMs);
      if (!result) {
        work.then(
          ({ failure }) =>
            failure && log.error('containment failed after the answer', { error: describeError(failure) }),
          (error: unknown) =>
            log.error('containment failed after the answer', { error: describeError(error) }),
        );
        return json(202, { status: 'still running' });
      }
      const { outcomes, failure } = result.done;
      logOutcomes(log, outcomes);
      if (!failure) return json(200, { decisions: outcomes.map((o) => o.decision) });
      log.error('containment incomplete', { error: describeError(failure) });
      // A 5xx makes action groups and Logic Apps retry; the journal keeps retries from repeating work.
      return json(500, { error: describeError(failure), decisions: outcomes.map((o) => o.decision) });
    } catch (error) {
      log.error('containment incomplete', { error: describeError(error) });
      return json(500, { error: describeError(error), decisions: [] });
    }
  };
}
