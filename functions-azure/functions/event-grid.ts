import type { InvocationContext } from '@azure/functions';
import { describeError } from '../../core/errors.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { parseAzureEvent } from '../events/index.ts';
import { redactEvent } from '../events/redact.ts';
import { invocationLog } from '../log.ts';
import { logOutcomes } from '../log-outcome.ts';
import type { AzureRuntime } from '../runtime.ts';
import { RUN_FOR_MS } from './http.ts';

/**
 * The Event Grid function: contains automatically. Parse → decide and contain (core) → log.
 * Rejected and ignored events end here (no retry would change them). A failed containment or a
 * configuration error is thrown, so Event Grid retries and finally dead-letters the event; the
 * journal makes every retry repeat nothing that already succeeded.
 */
export function eventGridHandler(getRuntime: () => Promise<AzureRuntime>) {
  return async (event: unknown, context: InvocationContext): Promise<void> => {
    const log = invocationLog(context);
    const parsed = parseAzureEvent(event);
    if (parsed.kind !== 'alerts') {
      log.info(`event ${parsed.kind}`, { reason: parsed.reason });
      return;
    }
    let runtime: AzureRuntime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      log.error('configuration invalid: nothing was done, Event Grid will retry', {
        error: describeError(error),
      });
      throw new Error(`Tourniquet is not configured: ${describeError(error)}`, { cause: error });
    }
    const deps = runtime.deps({ deadline: new Date(Date.now() + RUN_FOR_MS) });
    const { outcomes, failure } = await handleParsedEvent(parsed, deps, { event: redactEvent(event) });
    logOutcomes(log, outcomes);
    if (failure) {
      log.error('containment incomplete: Event Grid will retry', { error: describeError(failure) });
      throw new Error(describeError(failure), { cause: failure });
    }
  };
}
