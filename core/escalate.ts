import type { Action, EscalateAction } from './actions.ts';
import type { Alert } from './alert.ts';

/**
 * Tells humans; changes nothing. The executor publishes an event and the journal keeps it. It
 * waits for the cut-off planned before it (revocations and quarantines, `after`), whatever their
 * outcome, so the message says what was done and what failed; evidence copies, which can take
 * minutes, are not waited for.
 */
export function escalateAction(
  id: string,
  alert: Alert,
  reason: string,
  planned: readonly Action[] = [],
): EscalateAction {
  const cutOff = planned
    .filter((a) => a.category === 'revoke' || a.category === 'quarantine')
    .map((a) => a.id);
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
    ...(cutOff.length ? { after: cutOff } : {}),
  };
}
