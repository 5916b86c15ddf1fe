import type { AlertOutcome } from '../core/handle.ts';
import type { Log } from './log.ts';

/**
 * One log line per alert: the decision, its incident, and how each action ended (the twin of
 * functions-aws/log-outcome.ts, on the invocation's own log).
 */
export function logOutcomes(log: Log, outcomes: readonly AlertOutcome[]): void {
  for (const o of outcomes) {
    const d = o.decision;
    log.info('decision', {
      incidentId: d.incidentId,
      decision: d.decision,
      reason: d.reason,
      mode: d.mode,
      playbook: d.playbook,
      alert: d.alert
        ? { source: d.alert.source, type: d.alert.type, account: d.alert.account, id: d.alert.id }
        : null,
      ...(o.report
        ? {
            status: o.report.status,
            results: o.report.results.map((r) => `${r.actionId} ${r.kind} ${r.outcome}`),
          }
        : {}),
      ...(o.error ? { error: o.error } : {}),
    });
  }
}
