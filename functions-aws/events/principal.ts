import type { PrincipalAlias, PrincipalRef } from '../../core/alert.ts';
import { parseIamArn } from '../../core/names.ts';
import { canonicalIamArn, isServiceLinkedRoleName, parseAssumedRoleArn } from '../../packs/aws/names.ts';
import { assertPartition } from './fields.ts';
import { reject, show } from './shape.ts';

const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
/** `AIDA…`, `AROA…:session`, an account id: never an ARN (that would be a forged or foreign value). */
const PRINCIPAL_ID = /^(?!arn:)[\w+=,.@:-]{1,256}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The actor as GuardDuty `accessKeyDetails` and ASFF `AwsIamAccessKey` describe it. */
export interface AccessKeyActor {
  userType?: string | undefined;
  userName?: string | undefined;
  principalId?: string | undefined;
  accessKeyId?: string | undefined;
  /** The account the finding is about: GuardDuty names no account for the actor. */
  account: string;
}

/**
 * GuardDuty `resource.accessKeyDetails` (API_AccessKeyDetails) → the principal. Role sessions resolve
 * to the role (`userName` is the role name, `principalId` is `<role id>:<session name>`); root is
 * root; a federated user or an unknown `userType` is never certain. A name that is present but not a
 * valid IAM name rejects the event: it would otherwise end up in a policy.
 */
export function principalFromAccessKey(actor: AccessKeyActor): PrincipalRef | null {
  const { userType, userName, account } = actor;
  const keyId = actor.accessKeyId && ACCESS_KEY_ID.test(actor.accessKeyId) ? actor.accessKeyId : undefined;
  const principalId =
    actor.principalId && PRINCIPAL_ID.test(actor.principalId) ? actor.principalId : undefined;
  const keyAliases: PrincipalAlias[] = [
    ...(principalId ? [{ type: 'principal-id' as const, value: principalId }] : []),
    ...(keyId ? [{ type: 'access-key-id' as const, value: keyId }] : []),
  ];
  const withKey = keyId ? { accessKeyId: keyId } : {};
  if (userType === 'Root') {
    return {
      id: `arn:aws:iam::${account}:root`,
      kind: 'root',
      account,
      aliases: keyAliases,
      ...withKey,
      certain: true,
    };
  }
  if ((userType === 'IAMUser' || userType === 'AssumedRole') && userName !== undefined) {
    const type = userType === 'IAMUser' ? 'user' : 'role';
    const name = iamName(userName, type, 'accessKeyDetails.userName');
    const session = type === 'role' ? sessionArn(account, name, principalId) : undefined;
    const aliases = session ? [{ type: 'session-arn' as const, value: session }, ...keyAliases] : keyAliases;
    return named(account, type, name, aliases, withKey);
  }
  if (userType === 'FederatedUser' && userName !== undefined && SESSION_NAME.test(userName)) {
    const id = `arn:aws:sts::${account}:federated-user/${userName}`;
    return {
      id,
      kind: 'federated-user',
      account,
      name: userName,
      aliases: keyAliases,
      ...withKey,
      certain: false,
    };
  }
  const best = principalId ?? keyId;
  if (!best && !userType) return null;
  return { id: best ?? 'unknown', kind: 'unknown', account, aliases: keyAliases, ...withKey, certain: false };
}

/**
 * An IAM user, role, root or STS assumed-role ARN → the principal (roles path-less, sessions resolved
 * to their role). Used for ARNs a source states outright: ASFF resources, CloudTrail session issuers,
 * Macie actors and by-hand targets. Anything else rejects.
 */
export function principalFromArn(arn: string, where: string, extra: PrincipalAlias[] = []): PrincipalRef {
  assertPartition(arn, where);
  const session = parseAssumedRoleArn(arn);
  if (session) {
    const others = extra.filter((a) => !(a.type === 'session-arn' && a.value === arn));
    return named(session.account, 'role', session.role, [{ type: 'session-arn', value: arn }, ...others], {});
  }
  const iam = parseIamArn(arn);
  if (!iam) reject(`${where} ${show(arn)} is not an IAM user, role or root ARN`);
  if (iam.type === 'root')
    return { id: iam.arn, kind: 'root', account: iam.account, aliases: extra, certain: true };
  const slr = iam.type === 'role' && iam.path.startsWith('/aws-service-role/');
  return named(iam.account, iam.type, iam.name, extra, {}, slr);
}

/** A validated IAM user or role name (IAM naming rules, 64 characters); rejects anything else. */
export function iamName(name: string, type: 'user' | 'role', where: string): string {
  // Compare the parsed name: `bob/../admin` would otherwise pass as path `bob/../` and name `admin`.
  const parsed = parseIamArn(canonicalIamArn('000000000000', type, name));
  if (parsed?.type !== type || parsed.name !== name) {
    reject(`${where} ${show(name)} is not a valid IAM ${type} name`);
  }
  return name;
}

export function validAccessKeyId(value: string | undefined): string | undefined {
  return value && ACCESS_KEY_ID.test(value) ? value : undefined;
}

export function validPrincipalId(value: string | undefined): string | undefined {
  return value && PRINCIPAL_ID.test(value) ? value : undefined;
}

function named(
  account: string,
  type: 'user' | 'role',
  name: string,
  aliases: PrincipalAlias[],
  extra: { accessKeyId?: string },
  serviceLinked = false,
): PrincipalRef {
  const kind =
    type === 'user'
      ? 'user'
      : serviceLinked || isServiceLinkedRoleName(name)
        ? 'service-linked-role'
        : 'role';
  return { id: canonicalIamArn(account, type, name), kind, account, name, aliases, ...extra, certain: true };
}

/** GuardDuty gives a role session as `principalId` `<role id>:<session name>`; the session ARN follows. */
function sessionArn(account: string, role: string, principalId: string | undefined): string | undefined {
  const session = principalId?.split(':')[1];
  return session && SESSION_NAME.test(session)
    ? `arn:aws:sts::${account}:assumed-role/${role}/${session}`
    : undefined;
}
