import type { PrincipalRef } from '../../core/alert.ts';
import { canonicalIamArn, parseAssumedRoleArn } from './names.ts';
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
 * source gave one (CloudTrail `userIdentity.principalId`); else, for a source that names the
 * session by its ARN only (S3 server access log requester, Bedrock invocation log `identity.arn`),
 * the role's unique id from `aws.roleUniqueIds` joined to the session name; else its source
 * identity; undefined when none is known (then only the whole role can be cut off).
 */
export function pinnedSession(
  p: PrincipalRef,
  roleUniqueIds: Readonly<Record<string, string>> = {},
): Extract<DenyScope, { kind: 'session' | 'source-identity' }> | undefined {
  const userId =
    p.aliases.find((a) => a.type === 'principal-id' && ROLE_SESSION_USER_ID.test(a.value))?.value ??
    configuredUserId(p, roleUniqueIds);
  if (userId) return { kind: 'session', userId };
  const sourceIdentity = p.aliases.find((a) => a.type === 'source-identity' && SOURCE_IDENTITY.test(a.value));
  return sourceIdentity ? { kind: 'source-identity', sourceIdentity: sourceIdentity.value } : undefined;
}

/** `<configured role id>:<session name>` for a principal named by its session ARN only. */
function configuredUserId(p: PrincipalRef, roleUniqueIds: Readonly<Record<string, string>>) {
  const roleId = roleUniqueIds[p.id];
  const arn = p.aliases.find((a) => a.type === 'session-arn')?.value;
  const session = arn ? parseAssumedRoleArn(arn) : undefined;
  if (!roleId || !session || canonicalIamArn(session.account, 'role', session.role) !== p.id)
    return undefined;
  const userId = `${roleId}:${session.session}`;
  return ROLE_SESSION_USER_ID.test(userId) ? userId : undefined;
}

/**
 * Why a shared role's alert pins no session, in words for the plan: the source named the session
 * only by ARN and `aws.roleUniqueIds` does not give the role's id, or the source named no session.
 */
export function whyNoPin(p: PrincipalRef): string {
  const arn = p.aliases.find((a) => a.type === 'session-arn')?.value;
  if (arn)
    return (
      `the log names session ${arn} by ARN only (S3 server access logs and Bedrock invocation logs carry no ` +
      `AROA… role unique id, so aws:userid cannot be written); set aws.roleUniqueIds["${p.id}"] to the role's RoleId to pin it`
    );
  return 'the alert names no session (no AROA…:<session> principal id, session ARN or source identity)';
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
