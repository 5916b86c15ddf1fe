import type { Decision } from './actions.ts';
import type { Config } from './config.ts';
import { type DecideOptions, decide } from './decide.ts';
import { describeError } from './errors.ts';
import type { Trigger } from './journal.ts';
import { type ParsedEvent, rejectDecision } from './parsed-event.ts';
import { type RespondDeps, type ResponseReport, respond } from './respond.ts';

export interface HandleDeps extends RespondDeps {
  config: Config;
}

export interface AlertOutcome {
  decision: Decision;
  report?: ResponseReport;
  error?: string;
}

/**
 * The whole automatic flow for one delivery, shared by every handler: each alert is decided and,
 * when the decision is `contain`, carried out. Every alert is handled even when one fails; the
 * failures are raised together at the end so the platform retries or dead-letters the event
 * (the journal makes the retry repeat nothing that already succeeded).
 */
export async function handleParsedEvent(
  parsed: ParsedEvent,
  deps: HandleDeps,
  options: { event?: unknown; trigger?: Trigger; manual?: DecideOptions['manual'] } = {},
): Promise<AlertOutcome[]> {
  const { config } = deps;
  if (parsed.kind === 'rejected') return [{ decision: rejectDecision(parsed.reason, config.mode) }];
  if (parsed.kind === 'ignored') {
    return [
      {
        decision: { decision: 'ignore', reason: parsed.reason, mode: config.mode, alert: null, actions: [] },
      },
    ];
  }
  const now = deps.now?.() ?? new Date();
  const errors: unknown[] = [];
  const outcomes = await Promise.all(
    parsed.alerts.map(async (alert): Promise<AlertOutcome> => {
      let decision = decide(alert, config, {
        now,
        packs: deps.packs,
        ...(options.manual ? { manual: options.manual } : {}),
      });
      if (decision.decision !== 'contain') return { decision };
      const baseId = decision.incidentId;
      try {
        const trigger = options.trigger ?? { kind: 'alert' as const };
        let report = await respond({ decision, alert, trigger, event: options.event }, deps);
        // The same finding seen again after humans released its incident: the attacker is back.
        // Redeliveries of what was seen before the release stay released.
        for (let g = 2; reopens(report, alert.observedAt, trigger.kind); g++) {
          decision = decide(alert, config, { now, packs: deps.packs, incidentId: `${baseId}-g${g}` });
          if (decision.decision !== 'contain') return { decision };
          report = await respond({ decision, alert, trigger, event: options.event }, deps);
        }
        return { decision, report };
      } catch (error) {
        errors.push(error);
        const report = (error as { report?: ResponseReport }).report;
        return { decision, error: describeError(error), ...(report ? { report } : {}) };
      }
    }),
  );
  if (errors.length === 1) throw Object.assign(errors[0] as Error, { outcomes });
  if (errors.length > 1)
    throw Object.assign(new AggregateError(errors, errors.map(describeError).join('; ')), { outcomes });
  return outcomes;
}

function reopens(report: ResponseReport, observedAt: string, trigger: Trigger['kind']): boolean {
  return (
    trigger === 'alert' &&
    report.status === 'released' &&
    Date.parse(observedAt) > Date.parse(report.releasedAt ?? '')
  );
}
