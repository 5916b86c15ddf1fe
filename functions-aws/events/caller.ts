import type { PrincipalAlias, PrincipalRef } from '../../core/alert.ts';
import { isAccountId } from '../../core/names.ts';
import { parseAssumedRoleArn } from '../../packs/aws/names.ts';
import { assertPartition } from './fields.ts';
import { principalFromArn, validAccessKeyId, validPrincipalId } from './principal.ts';

/**
 * The caller of an API as CloudTrail's `userIdentity` describes it (CloudTrail User Guide,
 * "CloudTrail userIdentity element"); Macie's `policyDetails.actor.userIdentity` is mapped onto it.
 */
export interface CallerIdentity {
  type?: string | undefined;
  arn?: string | undefined;
  principalId?: string | undefined;
  accountId?: string | undefined;
  accessKeyId?: string | undefined;
  invokedBy?: string | undefined;
  /** `sessionContext.sessionIssuer.arn`: for a role session, the role's ARN (possibly with a path). */
  sessionIssuerArn?: string | undefined;
  /** `sessionContext.sourceIdentity`: the STS source identity of a role session, when set. */
  sourceIdentity?: string | undefined;
}

const SERVICE = /^[a-z0-9][a-z0-9.-]{0,127}$/;

/**
 * The principal behind an API call. Role sessions resolve to the role from the session issuer, kept
 * path-less; a caller from another account that names no principal (`AWSAccount`) and anything not
 * recognised are never certain; AWS services and anonymous callers are named but cannot be revoked.
 */
export function principalFromCaller(caller: CallerIdentity, eventAccount: string): PrincipalRef | null {
  const account = caller.accountId && isAccountId(caller.accountId) ? caller.accountId : eventAccount;
  const keyId = validAccessKeyId(caller.accessKeyId);
  const principalId = validPrincipalId(caller.principalId);
  const idAliases: PrincipalAlias[] = [
    ...(principalId ? [{ type: 'principal-id' as const, value: principalId }] : []),
    ...(keyId ? [{ type: 'access-key-id' as const, value: keyId }] : []),
  ];
  const withKey = keyId ? { accessKeyId: keyId } : {};
  for (const arn of [caller.arn, caller.sessionIssuerArn]) if (arn) assertPartition(arn, 'userIdentity ARN');

  switch (caller.type) {
    case 'IAMUser':
    case 'Root':
      if (caller.arn) return { ...principalFromArn(caller.arn, 'userIdentity.arn', idAliases), ...withKey };
      if (caller.type === 'Root') {
        return {
          id: `arn:aws:iam::${account}:root`,
          kind: 'root',
          account,
          aliases: idAliases,
          ...withKey,
          certain: true,
        };
      }
      break;
    case 'AssumedRole': {
      const session = caller.arn && parseAssumedRoleArn(caller.arn) ? caller.arn : undefined;
      const source =
        caller.sourceIdentity && /^[\w+=,.@-]{2,64}$/.test(caller.sourceIdentity)
          ? [{ type: 'source-identity' as const, value: caller.sourceIdentity }]
          : [];
      const aliases = [
        ...(session ? [{ type: 'session-arn' as const, value: session }] : []),
        ...idAliases,
        ...source,
      ];
      const roleArn = caller.sessionIssuerArn ?? caller.arn;
      if (roleArn)
        return { ...principalFromArn(roleArn, 'userIdentity session issuer', aliases), ...withKey };
      break;
    }
    case 'AWSService': {
      const id = caller.invokedBy && SERVICE.test(caller.invokedBy) ? caller.invokedBy : 'aws-service';
      return { id, kind: 'aws-service', account: eventAccount, aliases: [], certain: true };
    }
    case 'AWSAccount':
      if (caller.accountId === 'anonymous') {
        return { id: 'anonymous', kind: 'anonymous', account: eventAccount, aliases: [], certain: true };
      }
      break;
    case 'FederatedUser': {
      const m = caller.arn
        ? /^arn:aws:sts::(\d{12}):federated-user\/([\w+=,.@-]{2,64})$/.exec(caller.arn)
        : null;
      if (m?.[1] && m[2]) {
        const federated = { id: caller.arn as string, account: m[1], name: m[2] };
        return { ...federated, kind: 'federated-user', aliases: idAliases, ...withKey, certain: false };
      }
      break;
    }
  }
  const typeName = caller.type && /^[A-Za-z]{1,32}$/.test(caller.type) ? caller.type : undefined;
  const best = principalId ?? keyId ?? (typeName ? `${typeName}:${account}` : undefined);
  if (!best) return null;
  return { id: best, kind: 'unknown', account, aliases: idAliases, ...withKey, certain: false };
}
