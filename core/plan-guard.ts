import type { PolicyStatement } from '../packs/aws/policies.ts';
import type { Action } from './actions.ts';
import type { Config } from './config.ts';
import { TourniquetError } from './errors.ts';
import type { IncidentState } from './journal.ts';
import { guardedBy } from './principal-match.ts';

/** The journal of an incident does not hold up: nothing is done from it. */
export class JournalIntegrityError extends TourniquetError {
  override name = 'JournalIntegrityError';
}

/**
 * Checks a plan read back from the journal before anything acts on it (resume, release). The
 * journal is write-once and only Tourniquet's role may write it, but a plan from storage is input
 * like any other: whatever it says, Tourniquet never revokes a guarded principal, never writes an
 * Allow, and never copies evidence anywhere but the configured evidence store.
 */
export function assertTrustworthy(state: IncidentState, incidentId: string, config: Config): void {
  const problems = [...state.anomalies];
  if (state.record.incidentId !== incidentId) problems.push(`incident.json names ${state.record.incidentId}`);
  for (const action of state.record.decision.actions) problems.push(...check(action, config));
  if (problems.length) {
    throw new JournalIntegrityError(
      `the journal of incident ${incidentId} fails its checks, so nothing was done from it: ${problems.join('; ')}. ` +
        'Investigate who wrote to the evidence store.',
    );
  }
}

function check(action: Action, config: Config): string[] {
  const where = `${action.id} ${action.kind}`;
  const guarded = [
    ...(config.aws?.responders ?? []),
    ...(config.aws?.protectedPrincipals ?? []),
    ...(config.azure?.responders ?? []),
    ...(config.azure?.protectedPrincipals ?? []),
  ];
  const target = { id: action.target, kind: 'unknown' as const, account: '', aliases: [], certain: true };
  const out: string[] = [];
  if (action.category === 'revoke' && guardedBy(guarded, target))
    out.push(`${where} targets a guarded principal`);
  switch (action.kind) {
    case 'revoke-role-sessions':
    case 'revoke-user-sessions':
      if (!allDeny(action.params.policyDocument?.Statement))
        out.push(`${where} writes a policy that is not Deny-only`);
      break;
    case 'quarantine-bucket':
      if (!allDeny([action.params.statement])) out.push(`${where} writes a statement that is not a Deny`);
      break;
    case 'copy-evidence':
      if (action.params.evidenceBucket !== config.aws?.evidenceBucket) {
        out.push(`${where} copies to ${action.params.evidenceBucket}, not the evidence bucket`);
      }
      break;
    case 'copy-blob-evidence': {
      const evidence = config.azure?.evidence;
      const same =
        action.params.evidenceStorageAccountId.toLowerCase() === evidence?.storageAccount.toLowerCase() &&
        action.params.evidenceContainer === evidence?.container;
      if (!same) out.push(`${where} copies outside the evidence container`);
      break;
    }
  }
  return out;
}

function allDeny(statements: PolicyStatement[] | undefined): boolean {
  return Array.isArray(statements) && statements.length > 0 && statements.every((s) => s?.Effect === 'Deny');
}
