import type { Action } from '../actions.ts';
import type { Outcome } from '../executor.ts';
import type { ActionHistory, IncidentState } from '../journal.ts';

/** One containment change as the pack shows it: what, how, the before-state, the undo, the result. */
export interface Measure {
  actionId: string;
  kind: Action['kind'];
  category: Action['category'];
  target: string;
  account: string;
  /** The exact documents and settings written (the action's parameters, as planned and recorded). */
  documents: unknown;
  before: unknown;
  inverse: string;
  outcome: Outcome | 'not-started';
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** What stays possible for a while after the change, stated honestly. */
  residual: string;
  release: { outcome: Outcome | 'not-released'; at: string | null; error: string | null };
}

/**
 * Residual exposure per kind where the executor reports none itself (IAM User Guide
 * "id_roles_use_revoke-sessions"; Azure RBAC and SAS behaviour in docs/azure.md).
 */
const RESIDUAL: Readonly<Record<string, string>> = {
  'revoke-role-sessions':
    'the Deny on sessions issued before the incident takes effect when IAM propagates it (seconds to minutes); sessions issued after it are not covered by this statement',
  'revoke-user-sessions':
    'the Deny on sessions issued before the incident takes effect when IAM propagates it (seconds to minutes)',
  'deactivate-access-keys':
    'deactivation takes effect within seconds; STS sessions already minted from the key are ended only by the session deny',
  'quarantine-bucket':
    'the bucket policy and public access block apply within seconds; requests already in flight finish',
  'pin-objects': 'none: evidence preservation',
  'copy-evidence': 'none: evidence preservation',
  'remove-role-assignments':
    'access tokens already issued stay valid until they expire (about an hour); RBAC propagation takes up to ~10 minutes',
  'disable-service-principal': 'tokens already issued stay valid until they expire (about an hour)',
  'quarantine-storage-account':
    'data-plane requests in flight finish; network rules and Shared Key changes apply within seconds',
  'quarantine-container': 'removed stored access policies stop their SAS within 30 seconds',
  'remove-data-role-assignments':
    'access tokens already issued stay valid until they expire (about an hour); RBAC propagation takes up to ~10 minutes',
  'snapshot-blobs': 'none: evidence preservation',
  'copy-blob-evidence': 'none: evidence preservation',
  escalate: 'none: a notification',
};

/** The measures of an incident, in plan order, from its journal. */
export function measuresOf(state: IncidentState): Measure[] {
  return state.record.decision.actions.map((action) => {
    const contain = summary(state.phases.contain.get(action.id));
    const release = summary(state.phases.release.get(action.id));
    const residual = contain.details?.residual;
    return {
      actionId: action.id,
      kind: action.kind,
      category: action.category,
      target: action.target,
      account: action.account,
      documents: action.params,
      before: contain.firstBefore ?? null,
      inverse: action.inverse,
      outcome: contain.outcome ?? 'not-started',
      attempts: contain.attempts,
      startedAt: contain.startedAt,
      finishedAt: contain.finishedAt,
      error: contain.error,
      residual: typeof residual === 'string' ? residual : (RESIDUAL[action.kind] ?? 'not stated'),
      release: { outcome: release.outcome ?? 'not-released', at: release.finishedAt, error: release.error },
    };
  });
}

/** The state of one action's history: first before-state, the outcome that counts, times. */
export function summary(history: ActionHistory | undefined) {
  const attempts = history?.attempts ?? [];
  const done = attempts.find((a) => a.after?.outcome === 'applied' || a.after?.outcome === 'already-applied');
  const last = done ?? attempts.at(-1);
  return {
    attempts: attempts.length,
    firstBefore: attempts.find((a) => a.before)?.before?.before,
    outcome: last?.after?.outcome ?? (last?.before ? ('failed' as const) : undefined),
    details: last?.after?.details,
    startedAt: attempts[0]?.before?.at ?? null,
    finishedAt: last?.after?.at ?? null,
    error: last?.after?.error ?? (last?.before && !last.after ? 'started, never recorded as finished' : null),
  };
}
