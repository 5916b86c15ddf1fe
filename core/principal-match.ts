import type { PrincipalRef } from './alert.ts';
import { isGuid, parseIamArn } from './names.ts';

/**
 * Does a configured principal pattern (known reader, known caller) name this principal?
 *
 * Patterns may be IAM ARNs with or without a path (role and user names are unique per account, so
 * the path is ignored, wildcards in it included), `*` wildcards in the name, STS assumed-role session
 * patterns (`arn:aws:sts::<acct>:assumed-role/<role>/*`), or Entra object ids. A session pattern
 * names sessions: it matches the role itself only when it covers every session (`…/<role>/*`).
 *
 * @example
 * principalMatches('arn:aws:iam::111122223333:role/ops/ir-*', role('ir-responder')) // true
 */
export function principalMatches(pattern: string, principal: PrincipalRef): boolean {
  return matches(pattern, principal, false);
}

export function matchesAny(patterns: readonly string[], principal: PrincipalRef): boolean {
  return patterns.some((p) => principalMatches(p, principal));
}

/**
 * Is this principal one of the guarded ones (responders, break-glass)? Broader than
 * `matchesAny`, because revocation is role-wide: a pattern naming *any* session of a role guards the
 * whole role, since revoking the role would cut that session off too.
 */
export function guardedBy(patterns: readonly string[], principal: PrincipalRef): boolean {
  return patterns.some((p) => matches(p, principal, true));
}

/**
 * The guarded GUID that names this principal by its application (client) id rather than its
 * object id — a common mix-up in Entra configuration — or undefined. The plan says so.
 */
export function guardedByAppId(patterns: readonly string[], principal: PrincipalRef): string | undefined {
  return patterns.find(
    (p) => isGuid(p) && principal.id.toLowerCase() !== p.toLowerCase() && appIdIs(principal, p),
  );
}

function appIdIs(principal: PrincipalRef, guid: string): boolean {
  return principal.aliases.some((a) => a.type === 'app-id' && a.value.toLowerCase() === guid.toLowerCase());
}

function matches(pattern: string, principal: PrincipalRef, wholeRole: boolean): boolean {
  // An Entra GUID names the object id, or the application (client) id people often copy instead.
  if (isGuid(pattern))
    return principal.id.toLowerCase() === pattern.toLowerCase() || appIdIs(principal, pattern);
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(pattern);
  if (session) {
    const [, account = '', roleGlob = '', sessionGlob = ''] = session;
    const re = glob(pattern);
    if (principal.aliases.some((a) => a.type === 'session-arn' && re.test(a.value))) return true;
    // One session guards its whole role, but only a named role: a wildcard role is never widened.
    if (sessionGlob !== '*' && (!wholeRole || roleGlob.includes('*'))) return false;
    return sameIam(principal, account, 'role', roleGlob);
  }
  const iam = /^arn:aws:iam::(\d{12}):(root|user|role)(?:\/(?:.*\/)?([^/]+))?$/.exec(pattern);
  if (!iam) return glob(pattern).test(principal.id);
  return sameIam(principal, iam[1] ?? '', iam[2] ?? '', iam[3] ?? '');
}

function sameIam(principal: PrincipalRef, account: string, type: string, nameGlob: string): boolean {
  const actual = parseIamArn(principal.id);
  if (!actual || actual.account !== account || actual.type !== type) return false;
  return actual.type === 'root' || glob(nameGlob).test(actual.name);
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}
