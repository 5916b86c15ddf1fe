import type { PrincipalAlias, PrincipalRef } from '../../../core/alert.ts';
import { obj, str } from '../../../core/detect/formats/log-format.ts';
import { memo, scoped } from '../../../core/detect/memo.ts';
import { ipPrincipal, isIpLike } from '../../../core/detect/principals.ts';
import { parseIamArn } from '../../../core/names.ts';
import { canonicalIamArn, isServiceLinkedRoleName, parseAssumedRoleArn } from '../names.ts';

/** Cached principals by the identity's `arn` (as text), each with the fields that tell them apart. */
const caches = scoped(() => ({
  byArn: new Map<string, { fields: string[]; principal: PrincipalRef }[]>(),
  count: 0,
}));
const MAX_CACHED = 10_000;

/**
 * cloudTrailPrincipal, kept per identity: the same caller signs thousands of records of a file.
 * The address only names the principal when nothing else does, so only then does it tell two
 * identities apart. Looked up by the ARN, then compared field by field: no key text is built and
 * hashed per record.
 */
export function cachedCloudTrailPrincipal(
  identity: unknown,
  sourceIp: string | undefined,
  account: string,
): PrincipalRef {
  const u = obj(identity) ?? {};
  const issuer = obj(obj(u.sessionContext)?.sessionIssuer);
  const named = u.arn ?? u.principalId ?? u.invokedBy;
  const fields = [
    `${u.type}`,
    `${u.accessKeyId}`,
    `${u.principalId}`,
    `${u.invokedBy}`,
    `${issuer?.arn}`,
    `${u.accountId}`,
    account,
    named ? '' : `${sourceIp}`,
  ];
  const arn = `${u.arn}`;
  const cache = caches();
  const cached = cache.byArn;
  let same = cached.get(arn);
  for (const entry of same ?? []) if (sameFields(entry.fields, fields)) return entry.principal;
  const principal = cloudTrailPrincipal(u, sourceIp, account);
  if (cache.count >= MAX_CACHED) {
    cached.clear();
    cache.count = 0;
    same = undefined;
  }
  if (!same) {
    same = [];
    cached.set(arn, same);
  }
  same.push({ fields, principal });
  cache.count++;
  return principal;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A CloudTrail `userIdentity` as a principal (CloudTrail User Guide, "CloudTrail userIdentity
 * element"). Roles are named by the role ARN (the session ARN is an alias), users by the user ARN,
 * both without path. Anything that cannot be pinned to one IAM identity is `certain: false`.
 */
export function cloudTrailPrincipal(
  identity: unknown,
  sourceIp: string | undefined,
  account: string,
): PrincipalRef {
  const u = obj(identity) ?? {};
  const type = str(u.type);
  const arn = str(u.arn);
  const aliases: PrincipalAlias[] = [];
  const principalId = str(u.principalId);
  const keyId = str(u.accessKeyId);
  if (principalId) aliases.push({ type: 'principal-id', value: principalId });
  if (keyId) aliases.push({ type: 'access-key-id', value: keyId });
  const withKey = keyId ? { accessKeyId: keyId } : {};
  if (type === 'AWSService') {
    const by = str(u.invokedBy) ?? sourceIp ?? 'aws-service';
    return { id: by, kind: 'aws-service', account, aliases, certain: true };
  }
  if (type === 'AssumedRole') {
    const issuer = obj(obj(u.sessionContext)?.sessionIssuer);
    const roleArn = parseIamArn(str(issuer?.arn) ?? '');
    const session = parseAssumedRoleArn(arn ?? '');
    if (session && arn) aliases.push({ type: 'session-arn', value: arn });
    if (roleArn?.type === 'role') {
      const kind = isServiceLinkedRoleName(roleArn.name) ? 'service-linked-role' : 'role';
      return {
        id: canonicalIamArn(roleArn.account, 'role', roleArn.name),
        kind,
        account: roleArn.account,
        name: roleArn.name,
        aliases,
        ...withKey,
        certain: true,
      };
    }
    if (session) {
      return {
        id: canonicalIamArn(session.account, 'role', session.role),
        kind: 'role',
        account: session.account,
        name: session.role,
        aliases,
        ...withKey,
        certain: true,
      };
    }
  }
  return (
    fromArn(arn, aliases, withKey) ??
    uncertain(type, principalId, sourceIp, str(u.accountId) ?? account, aliases)
  );
}

/** A requester ARN as S3 access logs and Bedrock invocation logs print it (user or assumed role). */
export function arnPrincipal(arn: string): PrincipalRef | undefined {
  return arnPrincipals(arn) ?? undefined;
}

const arnPrincipals = memo((arn): PrincipalRef | null => fromArn(arn, [], {}) ?? null);

function fromArn(
  arn: string | undefined,
  aliases: PrincipalAlias[],
  withKey: { accessKeyId?: string },
): PrincipalRef | undefined {
  if (!arn) return undefined;
  const session = parseAssumedRoleArn(arn);
  if (session) {
    if (!aliases.some((a) => a.type === 'session-arn')) aliases.push({ type: 'session-arn', value: arn });
    const kind = isServiceLinkedRoleName(session.role) ? 'service-linked-role' : 'role';
    return {
      id: canonicalIamArn(session.account, 'role', session.role),
      kind,
      account: session.account,
      name: session.role,
      aliases,
      ...withKey,
      certain: true,
    };
  }
  const iam = parseIamArn(arn);
  if (!iam) return undefined;
  if (iam.type === 'root')
    return { id: arn, kind: 'root', account: iam.account, aliases, ...withKey, certain: true };
  return {
    id: canonicalIamArn(iam.account, iam.type, iam.name),
    kind: iam.type,
    account: iam.account,
    name: iam.name,
    aliases,
    ...withKey,
    certain: true,
  };
}

function uncertain(
  type: string | undefined,
  principalId: string | undefined,
  ip: string | undefined,
  account: string,
  aliases: PrincipalAlias[],
): PrincipalRef {
  if (principalId)
    return {
      id: principalId,
      kind: type === 'FederatedUser' ? 'federated-user' : 'unknown',
      account,
      aliases,
      certain: false,
    };
  if (ip && isIpLike(ip)) return ipPrincipal(ip, account);
  return {
    id: type === 'AWSAccount' ? `account:${account}` : 'anonymous',
    kind: 'anonymous',
    account,
    aliases,
    certain: false,
  };
}
