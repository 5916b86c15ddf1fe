import type { PrincipalRef } from './alert.ts';
import { isGuid, parseIamArn } from './names.ts';

/**
 * Does a configured principal pattern (responder, break-glass, known reader) name this principal?
 *
 * Patterns may be IAM ARNs with or without a path (role and user names are unique per account, so
 * the path is ignored), `*` wildcards in the name, STS assumed-role session patterns
 * (`arn:aws:sts::<acct>:assumed-role/<role>/*`), or Entra object ids.
 *
 * @example
 * principalMatches('arn:aws:iam::111122223333:role/ops/ir-*', role('ir-responder')) // true
 */
export function principalMatches(pattern: string, principal: PrincipalRef): boolean {
  if (isGuid(pattern)) return principal.id.toLowerCase() === pattern.toLowerCase();
  if (pattern.startsWith('arn:aws:sts::')) return matchesSession(pattern, principal);
  const wanted = parseIamPattern(pattern);
  if (!wanted) return glob(pattern).test(principal.id);
  const actual = parseIamArn(principal.id);
  if (!actual || actual.account !== wanted.account || actual.type !== wanted.type) return false;
  if (actual.type === 'root') return true;
  return glob(wanted.name).test(actual.name);
}

export function matchesAny(patterns: readonly string[], principal: PrincipalRef): boolean {
  return patterns.some((p) => principalMatches(p, principal));
}

function matchesSession(pattern: string, principal: PrincipalRef): boolean {
  const re = glob(pattern);
  if (principal.aliases.some((a) => a.type === 'session-arn' && re.test(a.value))) return true;
  // `assumed-role/<role>/*` also covers the role itself when the source only gave the role ARN.
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/\*$/.exec(pattern);
  return !!m && principal.kind === 'role' && principal.id === `arn:aws:iam::${m[1]}:role/${m[2]}`;
}

function parseIamPattern(pattern: string): { account: string; type: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):(root|user|role)(?:\/(?:[^*]*\/)?([^/]+))?$/.exec(pattern);
  if (!m) return undefined;
  return { account: m[1] ?? '', type: m[2] ?? '', name: m[3] ?? '' };
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}
