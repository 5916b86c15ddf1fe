import * as z from 'zod/mini';
import type { PrincipalRef } from '../../core/alert.ts';
import { assertPartition, partition } from './fields.ts';
import { principalFromAccessKey, principalFromArn, validAccessKeyId } from './principal.ts';
import { ResourceList } from './resources.ts';
import { maybe, text } from './shape.ts';

const optionalText = maybe(text());

/**
 * ASFF `Resources[]` (Security Hub User Guide, "Resources" and the AwsIamAccessKey, AwsIamUser,
 * AwsIamRole, AwsS3Bucket, AwsS3Object resource details). Other resource types are not read.
 */
export const asffResourceShape = z.looseObject({
  Type: text(128),
  Id: text(2048),
  Partition: maybe(z.string()),
  Details: maybe(
    z.looseObject({
      AwsIamAccessKey: maybe(
        z.looseObject({
          AccessKeyId: optionalText,
          AccountId: optionalText,
          PrincipalId: optionalText,
          PrincipalName: optionalText,
          PrincipalType: optionalText,
          UserName: optionalText,
        }),
      ),
      AwsIamUser: maybe(z.looseObject({ UserName: optionalText })),
    }),
  ),
});
type AsffResource = z.infer<typeof asffResourceShape>;

/** Which principal resource wins when a finding names several: the credential used, then the identity. */
const PRINCIPAL_ORDER = ['AwsIamAccessKey', 'AwsIamUser', 'AwsIamRole'];

/** The buckets, objects and principal an ASFF finding's `Resources[]` name. */
export function asffResources(
  list: readonly AsffResource[],
  account: string,
  where: string,
): { resources: ResourceList; principal: PrincipalRef | null; candidatePrincipals?: string[] } {
  const resources = new ResourceList();
  const candidates: { rank: number; principal: PrincipalRef | null }[] = [];
  for (const [i, r] of list.entries()) {
    const at = `${where}.Resources.${i}`;
    partition(r.Partition, `${at}.Partition`);
    assertPartition(r.Id, `${at}.Id`);
    if (r.Type === 'AwsS3Bucket' || r.Type === 'AwsS3Object') {
      if (r.Id.startsWith('arn:')) resources.s3Arn(r.Id, `${at}.Id`);
      else resources.bucket(r.Id, `${at}.Id`);
    }
    const rank = PRINCIPAL_ORDER.indexOf(r.Type);
    if (rank >= 0) candidates.push({ rank, principal: principalOf(r, account, at) });
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const named = candidates.map((c) => c.principal).filter((p): p is PrincipalRef => !!p);
  const distinct = named.filter((p, i) => named.findIndex((q) => samePrincipal(p, q)) === i);
  const [first = null] = distinct;
  if (!first || distinct.length === 1) return { resources, principal: first };
  // Two different principals in one finding: which one acted is a guess, so none is revoked.
  return {
    resources,
    principal: { ...first, certain: false },
    candidatePrincipals: distinct.map((p) => p.id),
  };
}

/** The same actor named twice (its access key and its user or role resource). */
function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  const ids = (p: PrincipalRef) => [p.id, ...p.aliases.map((x) => x.value)];
  return a.id === b.id || ids(a).some((id) => ids(b).includes(id));
}

function principalOf(r: AsffResource, account: string, at: string): PrincipalRef | null {
  if (r.Type === 'AwsIamAccessKey') {
    const key = r.Details?.AwsIamAccessKey;
    // GuardDuty's copies name the key in the Id: `AWS::IAM::AccessKey:ASIA…`.
    const keyFromId = validAccessKeyId(/([A-Z0-9]+)$/.exec(r.Id)?.[1]);
    return principalFromAccessKey({
      userType: key?.PrincipalType,
      userName: key?.PrincipalName ?? key?.UserName,
      principalId: key?.PrincipalId,
      accessKeyId: key?.AccessKeyId ?? keyFromId,
      account: key?.AccountId && /^\d{12}$/.test(key.AccountId) ? key.AccountId : account,
    });
  }
  if (r.Id.startsWith('arn:')) return principalFromArn(r.Id, `${at}.Id`);
  const userName = r.Details?.AwsIamUser?.UserName;
  return userName ? principalFromAccessKey({ userType: 'IAMUser', userName, account }) : null;
}
