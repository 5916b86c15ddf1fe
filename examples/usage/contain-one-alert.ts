// How core is used, as a program: decide about one alert and carry the decision out once.
// The build type-checks this file and test/core/examples.test.ts runs it, so it cannot rot; the
// @example of decide (core/decide.ts) and respond (core/respond.ts) quote it line for line.
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { type RespondDeps, respond } from '../../core/respond.ts';
import { PACKS } from '../../packs/index.ts';

export async function containOneAlert(alert: Alert, config: Config, deps: RespondDeps) {
  const decision = decide(alert, config, { now: new Date(), packs: PACKS });
  if (decision.decision !== 'contain') return { decision };
  const { report, failure } = await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
  if (failure) throw failure; // the platform retries; the journal keeps the retry from repeating work
  return { decision, report };
}
