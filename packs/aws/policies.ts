import { createHash } from 'node:crypto';
import { ActionError } from '../../core/errors.ts';
import { parseIamArn } from '../../core/names.ts';
import { type DenyScope, scopeCondition } from './deny-scope.ts';

/** An IAM or bucket policy document, as written (JSON.stringify of this is what AWS receives). */
export interface PolicyDocument {
  Version: '2012-10-17';
  Id?: string;
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  [other: string]: unknown;
}

/** Aggregate inline policy quotas in characters, whitespace excluded (IAM quotas page). */
export const INLINE_POLICY_QUOTA = { user: 2048, role: 10240 } as const;
/** Bucket policies are limited to 20 KB. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

export const REVOKE_SID = 'TourniquetRevokeOlderSessions';
/** The Sid of a Deny pinned to one session of a role (`revocationPolicy` with a session scope). */
export const REVOKE_SESSION_SID = 'TourniquetRevokeSession';
/** Every quarantine statement's Sid starts so: humans and tools find all of Tourniquet's by it. */
export const QUARANTINE_SID_PREFIX = 'TourniquetQuarantine';

/**
 * The quarantine statement's Sid for one incident: the prefix and the first 12 hex digits of the
 * SHA-256 of the incident id. Each incident on a bucket owns its statement, so a second incident is
 * not "already applied" by the first one's, and releasing one leaves the other in place. Sids allow
 * only `[A-Za-z0-9]`; 48 bits make a collision between two incidents on one bucket negligible.
 *
 * @example quarantineSid('aws-guardduty-0123456789abcdef0123') // 'TourniquetQuarantine' + 12 hex digits
 */
export function quarantineSid(incidentId: string): string {
  const hash = createHash('sha256').update(incidentId).digest('hex').slice(0, 12);
  return `${QUARANTINE_SID_PREFIX}${hash}`;
}

/** True for the Sid of any Tourniquet quarantine statement (any incident, and the pre-hash form). */
export function isQuarantineSid(sid: unknown): boolean {
  return typeof sid === 'string' && sid.startsWith(QUARANTINE_SID_PREFIX);
}

/**
 * The console's "Revoke active sessions" policy: denies everything to credentials issued before
 * `issuedBefore`, so every live STS session of the principal dies while new ones (after the
 * incident is released) work. Long-term access keys carry no token issue time: deactivate them too.
 */
export function sessionRevocationPolicy(issuedBefore: Date): PolicyDocument {
  return revocationPolicy({ kind: 'sessions-before', issuedBefore });
}

/**
 * The revoking Deny for a scope (packs/aws/deny-scope.ts): every action, limited to the credentials
 * issued before the incident, or to the one session the alert pins (a shared workload role keeps
 * its other sessions).
 *
 * @example
 * revocationPolicy({ kind: 'session', userId: 'AROAEXAMPLEROLEID:i-0abc' }) // Deny * if aws:userid matches
 */
export function revocationPolicy(scope: DenyScope): PolicyDocument {
  const condition = scopeCondition(scope);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: scope.kind === 'sessions-before' ? REVOKE_SID : REVOKE_SESSION_SID,
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  };
}

/** Inline policy name for one incident: removing it is the inverse, and it never collides. */
export function revokePolicyName(incidentId: string): string {
  return `tourniquet-revoke-${incidentId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}

/** Characters IAM counts against the inline quota (whitespace excluded). */
export function iamPolicySize(document: PolicyDocument | string): number {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return text.replace(/\s/g, '').length;
}

/**
 * `aws:PrincipalArn` patterns that keep responders and break-glass principals able to act on a
 * quarantined bucket. `aws:PrincipalArn` is the role ARN *with* its path for every session of the
 * role, so a path-less role or user ARN is exempted both as given and as `…:role/*\/<name>`
 * (names cannot contain `/`, so that matches only that name under any path).
 */
export function exemptPrincipalArns(patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(pattern);
    // A wildcard role with one session names sessions, not roles: never exempt `role/*` for it.
    if (session?.[2]?.includes('*') && session[3] !== '*') continue;
    const arn = session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : pattern;
    const parsed = parseIamArn(arn.replace(/\*/g, 'x'));
    if (!parsed) continue;
    out.add(arn);
    if (parsed.type !== 'root' && parsed.path === '/') {
      out.add(`arn:aws:iam::${parsed.account}:${parsed.type}/*/${arn.slice(arn.lastIndexOf('/') + 1)}`);
    }
  }
  return [...out].sort();
}

/**
 * Denies every S3 action on the bucket and its objects to everyone but the exempt principals,
 * anonymous callers included (a missing `aws:PrincipalArn` satisfies `ArnNotLike`). The Sid is the
 * incident's own (`quarantineSid`).
 */
export function quarantineStatement(
  bucket: string,
  exempt: readonly string[],
  incidentId: string,
): PolicyStatement {
  if (exempt.length === 0) throw new ActionError('refusing to quarantine without responders to exempt');
  return {
    Sid: quarantineSid(incidentId),
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { ArnNotLike: { 'aws:PrincipalArn': [...exempt] } },
  };
}

/**
 * Adds (or replaces, by Sid) a statement in an existing bucket policy, keeping every other
 * statement untouched. Throws when the result would exceed the 20 KB bucket policy limit.
 */
export function mergeStatement(existing: string | undefined, statement: PolicyStatement): string {
  const base = existing ? parsePolicy(existing) : { Version: '2012-10-17' as const, Statement: [] };
  const merged = {
    ...base,
    Statement: [...base.Statement.filter((s) => s.Sid !== statement.Sid), statement],
  };
  const text = JSON.stringify(merged);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > BUCKET_POLICY_MAX_BYTES) {
    throw new ActionError(
      `bucket policy would be ${bytes} bytes with the quarantine statement (limit ${BUCKET_POLICY_MAX_BYTES}); ` +
        'shorten the existing policy or quarantine by hand',
    );
  }
  return text;
}

/** Removes the statement with `sid`; undefined when nothing is left (delete the policy then). */
export function removeStatement(existing: string, sid: string): string | undefined {
  const policy = parsePolicy(existing);
  const Statement = policy.Statement.filter((s) => s.Sid !== sid);
  return Statement.length ? JSON.stringify({ ...policy, Statement }) : undefined;
}

function parsePolicy(text: string): PolicyDocument {
  const policy = JSON.parse(text) as { Statement?: PolicyStatement | PolicyStatement[] } & PolicyDocument;
  const statements = policy.Statement === undefined ? [] : [policy.Statement].flat();
  return { ...policy, Statement: statements };
}
