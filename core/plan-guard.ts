import type { Action } from './actions.ts';
import type { CloudPack } from './cloud-pack.ts';
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
 * like any other: whatever it says, Tourniquet never revokes a guarded principal (checked here, for
 * every cloud), and each pack's own checks hold for its actions (`CloudPack.checkPlanned`: never an
 * Allow, never evidence copied anywhere but the configured evidence store).
 */
export function assertTrustworthy(
  state: IncidentState,
  incidentId: string,
  config: Config,
  packs: readonly CloudPack[],
): void {
  const problems = [...state.anomalies];
  if (state.record.incidentId !== incidentId) problems.push(`incident.json names ${state.record.incidentId}`);
  const guarded = packs.flatMap((p) => [...p.responders(config), ...p.protectedPrincipals(config)]);
  for (const action of state.record.decision.actions) problems.push(...check(action, config, guarded, packs));
  if (problems.length) {
    throw new JournalIntegrityError(
      `the journal of incident ${incidentId} fails its checks, so nothing was done from it: ${problems.join('; ')}. ` +
        'Investigate who wrote to the evidence store.',
    );
  }
}

function check(
  action: Action,
  config: Config,
  guarded: readonly string[],
  packs: readonly CloudPack[],
): string[] {
  const target = { id: action.target, kind: 'unknown' as const, account: '', aliases: [], certain: true };
  const out: string[] = [];
  // A grant is not for guarded principals either: their access is not Tourniquet's to hand out.
  if ((action.category === 'revoke' || action.category === 'grant') && guardedBy(guarded, target))
    out.push(`${action.id} ${action.kind} targets a guarded principal`);
  const pack = packs.find((p) => p.actionKinds.includes(action.kind));
  if (pack) out.push(...pack.checkPlanned(action, config));
  return out;
}
