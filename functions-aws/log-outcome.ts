import type { AlertOutcome } from '../core/handle.ts';
import { logger } from './logger.ts';

/**
 * One structured line per alert, correlated by `incidentId`: the decision, why, and each action's
 * outcome. No policy bodies, object contents or credentials: targets and outcomes only. (The twin
 * of functions-azure/log-outcome.ts; here the log is Powertools' module logger, whose Lambda
 * context the middy middleware injects, so it is not passed in.)
 */
export function logOutcomes(outcomes: readonly AlertOutcome[]): void {
  for (const outcome of outcomes) logOutcome(outcome);
}

function logOutcome(outcome: AlertOutcome): void {
  const { decision, report, error } = outcome;
  const entry = {
    ...(decision.incidentId ? { incidentId: decision.incidentId } : {}),
    decision: decision.decision,
    reason: decision.reason,
    mode: decision.mode,
    ...(decision.playbook ? { playbook: decision.playbook } : {}),
    alert: decision.alert
      ? {
          id: decision.alert.id,
          source: decision.alert.source,
          type: decision.alert.type,
          severity: decision.alert.severity,
        }
      : null,
    ...(report ? { status: report.status } : {}),
    actions: (
      report?.results ?? decision.actions.map((a) => ({ actionId: a.id, kind: a.kind, target: a.target }))
    ).map((r) => ({
      id: r.actionId,
      kind: r.kind,
      target: r.target,
      ...('outcome' in r ? { outcome: r.outcome } : {}),
      ...('error' in r && r.error ? { error: r.error } : {}),
    })),
  };
  if (error) logger.error('containment failed', { ...entry, error });
  else if (decision.decision === 'reject') logger.warn('event rejected', entry);
  else logger.info(`decision: ${decision.decision}`, entry);
}
