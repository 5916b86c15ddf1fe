import type { EscalateAction } from './actions.ts';
import type { Alert } from './alert.ts';

/** Tells humans; changes nothing. The executor publishes an event and the journal keeps it. */
export function escalateAction(id: string, alert: Alert, reason: string): EscalateAction {
  return {
    id,
    kind: 'escalate',
    category: 'escalate',
    target: alert.principal?.id ?? alert.resources[0]?.id ?? alert.account,
    account: alert.account,
    params: {
      reason,
      ...(alert.principal ? { principal: alert.principal.id } : {}),
      ...(alert.actors?.length ? { actors: alert.actors.map((a) => a.id) } : {}),
      resources: alert.resources.map((r) => r.id),
      severity: alert.severity,
      alertType: alert.type,
    },
    inverse: 'none: a notification is not undone',
  };
}
