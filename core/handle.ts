import type { Decision } from './actions.ts';
import type { Config } from './config.ts';
import { type DecideOptions, decide } from './decide.ts';
import { describeError } from './errors.ts';
import type { Trigger } from './journal.ts';
import { futureObservation, lowTrustChannel } from './low-trust.ts';
import { type ParsedEvent, rejectDecision } from './parsed-event.ts';
import { type RespondDeps, type ResponseReport, respond } from './respond.ts';
import { type HandledTarget, narrowSeries, nothingNew } from './series.ts';

export interface HandleDeps extends RespondDeps {
  config: Config;
}

export interface AlertOutcome {
  decision: Decision;
  report?: ResponseReport;
  error?: string;
}

/**
 * Every alert's outcome and, when some need the platform to deliver the event again, why: one
 * error, or an AggregateError of them all. The handler logs the outcomes and throws the failure.
 */
export interface HandleResult {
  outcomes: AlertOutcome[];
  failure?: Error;
}

/**
 * The whole automatic flow for one delivery, shared by every handler: each alert is decided and,
 * when the decision is `contain`, carried out. Every alert is handled even when one fails; the
 * failures come back together as a value, and the handler throws them so the platform retries or
 * dead-letters the event (the journal makes the retry repeat nothing that already succeeded).
 *
 * @example
 * // examples/usage/handle-a-delivery.ts
 * const { outcomes, failure } = await handleParsedEvent(parseAwsEvent(event), deps, { event });
 * logOutcomes(outcomes);
 * if (failure) throw failure;
 */
export async function handleParsedEvent(
  parsed: ParsedEvent,
  deps: HandleDeps,
  options: { event?: unknown; trigger?: Trigger; manual?: DecideOptions['manual'] } = {},
): Promise<HandleResult> {
  const { config } = deps;
  if (parsed.kind === 'rejected')
    return { outcomes: [{ decision: rejectDecision(parsed.reason, config.mode) }] };
  if (parsed.kind === 'ignored') {
    const decision: Decision = {
      decision: 'ignore',
      reason: parsed.reason,
      mode: config.mode,
      alert: null,
      actions: [],
    };
    return { outcomes: [{ decision }] };
  }
  const now = deps.now?.() ?? new Date();
  const errors: unknown[] = [];
  const outcomes = await Promise.all(
    parsed.alerts.map(async (delivered): Promise<AlertOutcome> => {
      let alert = delivered;
      // A finding from the future would re-open every release: refused.
      const future = futureObservation(alert, now);
      if (future) return { decision: rejectDecision(future, config.mode) };
      let decision = decide(alert, config, {
        now,
        packs: deps.packs,
        ...(options.manual ? { manual: options.manual } : {}),
      });
      if (decision.decision !== 'contain') return { decision };
      const baseId = decision.incidentId;
      try {
        // A grown attack sequence: only what no earlier update took (core/series.ts).
        if (alert.series && decision.mode === 'enforce' && baseId) {
          const narrowed = await narrowSeries(alert, deps.journal, baseId);
          if (nothingNew(narrowed)) return { decision: handledEarlier(decision, narrowed.handled) };
          if (narrowed.handled.length) {
            alert = narrowed.alert;
            decision = withHandled(
              decide(alert, config, { now, packs: deps.packs, incidentId: baseId }),
              narrowed.handled,
            );
            if (decision.decision !== 'contain') return { decision };
          }
        }
        const trigger = options.trigger ?? { kind: 'alert' as const };
        let run = await respond({ decision, alert, trigger, event: options.event, receivedAt: now }, deps);
        // The same finding seen again after humans released its incident: the attacker is back.
        // Redeliveries of what was seen before the release stay released.
        // Not for a low-trust channel: anyone could send it again after every release.
        const canReopen = !lowTrustChannel(alert, config);
        for (let g = 2; canReopen && reopens(run.report, alert.observedAt, trigger.kind); g++) {
          decision = decide(alert, config, { now, packs: deps.packs, incidentId: `${baseId}-g${g}` });
          if (decision.decision !== 'contain') return { decision };
          run = await respond({ decision, alert, trigger, event: options.event, receivedAt: now }, deps);
        }
        if (!run.failure) return { decision, report: run.report };
        errors.push(run.failure);
        return { decision, report: run.report, error: describeError(run.failure) };
      } catch (error) {
        errors.push(error);
        return { decision, error: describeError(error) };
      }
    }),
  );
  if (errors.length === 0) return { outcomes };
  if (errors.length === 1) return { outcomes, failure: asError(errors[0]) };
  return { outcomes, failure: new AggregateError(errors, errors.map(describeError).join('; ')) };
}

/** The decision for an update whose every target an earlier update already took: nothing to do. */
function handledEarlier(decision: Decision, handled: readonly HandledTarget[]): Decision {
  return {
    ...decision,
    decision: 'ignore',
    reason: `every actor and resource of this update was already handled by ${holders(handled)}`,
    actions: [],
  };
}

function withHandled(decision: Decision, handled: readonly HandledTarget[]): Decision {
  const which = handled.map((h) => h.target).join(', ');
  return { ...decision, reason: `${decision.reason}; already handled by ${holders(handled)}: ${which}` };
}

function holders(handled: readonly HandledTarget[]): string {
  const ids = [...new Set(handled.map((h) => h.incidentId))];
  return `${ids.length > 1 ? 'incidents' : 'incident'} ${ids.join(', ')}`;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeError(error), { cause: error });
}

function reopens(report: ResponseReport, observedAt: string, trigger: Trigger['kind']): boolean {
  return (
    trigger === 'alert' &&
    report.status === 'released' &&
    Date.parse(observedAt) > Date.parse(report.releasedAt ?? '')
  );
}
