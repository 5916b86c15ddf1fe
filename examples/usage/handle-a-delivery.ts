// A handler's whole body: parse, handle, log, and throw what needs a retry (failures are values
// until here). Type-checked by the build, run by test/core/examples.test.ts, quoted by
// core/handle.ts; functions-aws/handlers/contain.ts is this plus the Lambda deadline.
import type { HandleDeps } from '../../core/handle.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { logOutcomes } from '../../functions-aws/log-outcome.ts';

export async function handleADelivery(event: unknown, deps: HandleDeps) {
  const { outcomes, failure } = await handleParsedEvent(parseAwsEvent(event), deps, { event });
  logOutcomes(outcomes);
  if (failure) throw failure;
  return outcomes.map((o) => o.decision.decision);
}
