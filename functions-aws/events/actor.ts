import type { Alert, AlertActor, PrincipalRef } from '../../core/alert.ts';
import { ROLE_SESSION_USER_ID } from '../../packs/aws/deny-scope.ts';

/**
 * The actor behind an AWS alert's principal, at the finest grain the source gave: a role session
 * (GuardDuty `accessKeyDetails.principalId` and CloudTrail `userIdentity.principalId` are
 * `AROA…:<session>`, the session's `aws:userid`) or an anonymous caller; undefined when the source
 * names nothing finer than the principal (an IAM user, a role without its session).
 *
 * @example
 * actorOf(role) // { id: 'arn:aws:sts::111122223333:assumed-role/app/i-0abc', kind: 'session', session: 'AROA…:i-0abc' }
 */
export function actorOf(p: PrincipalRef | null): AlertActor | undefined {
  if (!p) return undefined;
  if (p.kind === 'anonymous') return { id: 'anonymous', kind: 'anonymous' };
  const session = p.aliases.find((a) => a.type === 'principal-id' && ROLE_SESSION_USER_ID.test(a.value));
  if (p.kind === 'role' && session) {
    const arn = p.aliases.find((a) => a.type === 'session-arn')?.value;
    return { id: arn ?? session.value, kind: 'session', session: session.value };
  }
  // No finer grain than the principal itself: the actor is left out rather than repeated.
  return undefined;
}

/** The alert with its actor set from its principal, unless the parser set one already. */
export function withActor(alert: Alert): Alert {
  if (alert.actor) return alert;
  const actor = actorOf(alert.principal);
  return actor ? { ...alert, actor } : alert;
}
