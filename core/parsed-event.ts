import type { Decision } from './actions.ts';
import type { Alert } from './alert.ts';

/**
 * What an event parser (functions-aws/events, functions-azure/events) makes of one delivery:
 * - `alerts`: one or more normalized alerts (Security Hub and Event Grid batch several)
 * - `ignored`: a well-formed event that is not for Tourniquet (a validation handshake, a benign type)
 * - `rejected`: malformed, forged, oversized or out of partition: no action, a clear reason
 */
export type ParsedEvent =
  | { kind: 'alerts'; alerts: Alert[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; reason: string };

/** The decision contract for a rejected input: `alert` is null and nothing is planned. */
export function rejectDecision(reason: string, mode: Decision['mode']): Decision {
  return { decision: 'reject', reason, mode, alert: null, actions: [] };
}

/** Largest event either platform delivers: Event Grid 1 MB (EventBridge: 256 KB). */
export const MAX_EVENT_BYTES = 1024 * 1024;
