import type { PrincipalRef } from '../../core/alert.ts';
import type { PolicyStatement } from './policies.ts';

/**
 * Who an inline Deny written on a role or user applies to; one mechanism for the session revocation
 * (`revoke-role-sessions`) and the inference deny (`deny-inference`):
 * - `session`: one role session, `aws:userid` = `<role unique id>:<session name>` (IAM User Guide,
 *   "principal key values": a role session's `aws:userid` is `role-id:caller-specified-role-name`).
 *   The role's other sessions, and new ones under other names, keep working.
 * - `source-identity`: the sessions carrying one `aws:SourceIdentity` (set at AssumeRole, kept across
 *   role chaining, not changeable by the session); used only when the alert gives no `aws:userid`.
 * - `sessions-before`: every credential issued before the incident ("Revoke active sessions").
 * - `principal`: every call of the principal (an IAM user's inference).
 */
export type DenyScope =
  | { kind: 'session'; userId: string }
  | { kind: 'source-identity'; sourceIdentity: string }
  | { kind: 'sessions-before'; issuedBefore: Date }
  | { kind: 'principal' };

/** `AROA…:<session>`: a role session's `aws:userid`, as GuardDuty and CloudTrail give its principal id. */
export const ROLE_SESSION_USER_ID = /^AROA[A-Z0-9]{12,124}:[\w+=,.@-]{2,64}$/;
/** STS source identity: 2–64 characters of `[\w+=,.@-]` (AssumeRole API Reference). */
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

/** The IAM condition that limits a Deny to the scope (none for `principal`). */
export function scopeCondition(scope: DenyScope): PolicyStatement['Condition'] {
  switch (scope.kind) {
    case 'session':
      return { StringEquals: { 'aws:userid': scope.userId } };
    case 'source-identity':
      return { StringEquals: { 'aws:SourceIdentity': scope.sourceIdentity } };
    case 'sessions-before':
      return { DateLessThan: { 'aws:TokenIssueTime': isoSeconds(scope.issuedBefore) } };
    case 'principal':
      return undefined;
  }
}

/**
 * The one session of a role the alert pins down: its `AROA…:<session>` principal id when the
 * source gave one, else its source identity; undefined when neither is known (then only the
 * whole role can be cut off).
 */
export function pinnedSession(
  p: PrincipalRef,
): Extract<DenyScope, { kind: 'session' | 'source-identity' }> | undefined {
  const userId = p.aliases.find(
    (a) => a.type === 'principal-id' && ROLE_SESSION_USER_ID.test(a.value),
  )?.value;
  if (userId) return { kind: 'session', userId };
  const sourceIdentity = p.aliases.find((a) => a.type === 'source-identity' && SOURCE_IDENTITY.test(a.value));
  return sourceIdentity ? { kind: 'source-identity', sourceIdentity: sourceIdentity.value } : undefined;
}

/** The pinned session in words: `session dev-carol` or `source identity alice`. */
export function describeSession(scope: Extract<DenyScope, { kind: 'session' | 'source-identity' }>): string {
  return scope.kind === 'session'
    ? `session ${scope.userId.slice(scope.userId.indexOf(':') + 1)}`
    : `source identity ${scope.sourceIdentity}`;
}

/** IAM dates to the second, rounded up so the incident's own second is covered. */
export function isoSeconds(date: Date): string {
  const up = new Date(Math.ceil(date.getTime() / 1000) * 1000);
  return up.toISOString().replace('.000Z', 'Z');
}
