import type { InvocationContext } from '@azure/functions';
import { describeError } from '../../core/errors.ts';
import { invocationLog } from '../log.ts';
import type { AzureRuntime } from '../runtime.ts';

/**
 * The evidence fan-out worker: one queue message is one page of a large container's blobs
 * (functions-azure/evidence-worker.ts). A message that names no page of a job the journal recorded
 * is logged and consumed, nothing done. Anything else that fails is thrown: the queue delivers the
 * message again (`retry`), up to host.json `maxDequeueCount`, then moves it to
 * `tourniquet-evidence-poison`, where it stays for a human (docs/evidence-jobs.md).
 */
export function evidenceWorkerHandler(getRuntime: () => Promise<AzureRuntime>) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const log = invocationLog(context);
    const body = typeof message === 'string' ? parseJson(message) : message;
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    let runtime: AzureRuntime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      log.error('configuration invalid: the page stays queued', { error: describeError(error) });
      throw new Error(`Tourniquet is not configured: ${describeError(error)}`, { cause: error });
    }
    const result = await runtime.evidencePage(body, dequeueCount > 1);
    if (result.status === 'rejected') {
      log.warn('evidence page left alone', { reason: result.reason });
      return;
    }
    const { end, ...page } = result;
    log.info(end?.status === 'recorded' && !end.pending.length ? 'evidence complete' : 'evidence page', {
      ...page,
      ...(end ? { end: end.status } : {}),
    });
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
