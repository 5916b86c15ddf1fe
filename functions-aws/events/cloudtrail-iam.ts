import * as z from 'zod/mini';
import type { PrincipalRef } from '../../core/alert.ts';
import { canonicalIamArn } from '../../packs/aws/names.ts';
import { inlinePolicyGrantsAdmin, managedPolicyFacts } from './admin-policy.ts';
import { PERSISTENCE_EVENTS, persistenceFacts } from './cloudtrail-iam-persistence.ts';
import type { Facts } from './cloudtrail-s3.ts';
import { assertPartition } from './fields.ts';
import { iamName, validAccessKeyId } from './principal.ts';
import type { ResourceList } from './resources.ts';
import { parseShape, reject, show, text } from './shape.ts';

const optionalText = z.optional(text(2048));
/** IAM API request parameters as CloudTrail records them (IAM User Guide, cloudtrail-integration). */
const paramsShape = z.looseObject({
  userName: optionalText,
  roleName: optionalText,
  policyArn: optionalText,
  policyName: optionalText,
  policyDocument: z.optional(z.string().check(z.maxLength(131_072))),
});
const createKeyResponse = z.looseObject({
  accessKey: z.optional(z.looseObject({ accessKeyId: optionalText, userName: optionalText })),
});

export interface IamCall {
  eventName: string;
  requestParameters: unknown;
  responseElements: unknown;
  account: string;
  caller: PrincipalRef | null;
}

/**
 * Severity and facts per IAM call, with the reason for each number:
 * - CreateAccessKey 7 when the key is for another user (a way to keep access), 3 when self-service.
 * - Attach/Put Role/User Policy 8 when it grants admin, 3 otherwise (the playbook ignores those).
 * - UpdateAssumeRolePolicy, Create/UpdateLoginProfile: cloudtrail-iam-persistence.ts.
 */
export function iamFacts(call: IamCall, resources: ResourceList): Facts {
  const persistence = PERSISTENCE_EVENTS.find((e) => e === call.eventName);
  if (persistence) return persistenceFacts(persistence, call.requestParameters, call.account, call.caller);
  const p = parseShape(paramsShape, call.requestParameters ?? {}, 'detail.requestParameters');
  if (call.eventName === 'CreateAccessKey') return createAccessKey(call, p.userName, resources);
  const type = call.eventName.includes('Role') ? 'role' : 'user';
  const name = type === 'role' ? p.roleName : p.userName;
  const target = canonicalIamArn(
    call.account,
    type,
    iamName(name ?? '', type, `requestParameters.${type}Name`),
  );
  const facts = p.policyArn
    ? { policyArn: managedPolicyArn(p.policyArn), ...managedPolicyFacts(p.policyArn) }
    : {
        policyName: policyName(p.policyName),
        grantsAdmin: inlinePolicyGrantsAdmin(p.policyDocument, 'requestParameters.policyDocument'),
      };
  return { severity: facts.grantsAdmin ? 8 : 3, context: { target, ...facts } };
}

function managedPolicyArn(arn: string): string {
  assertPartition(arn, 'requestParameters.policyArn');
  if (!/^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/.test(arn)) {
    reject(`requestParameters.policyArn ${show(arn)} is not an IAM policy ARN`);
  }
  return arn;
}

function policyName(name: string | undefined): string {
  if (!name || !/^[\w+=,.@-]{1,128}$/.test(name))
    reject(`requestParameters.policyName ${show(name)} is not a policy name`);
  return name;
}

/**
 * The new key belongs to `userName` (or, without one, to the caller). The key becomes an `access-key`
 * resource whose parent is its owner, so containment can deactivate it.
 */
function createAccessKey(call: IamCall, requested: string | undefined, resources: ResourceList): Facts {
  const response = parseShape(createKeyResponse, call.responseElements ?? {}, 'detail.responseElements');
  const ownerName = response.accessKey?.userName ?? requested;
  const caller = call.caller;
  let owner: string | undefined;
  if (ownerName !== undefined) {
    owner = canonicalIamArn(
      call.account,
      'user',
      iamName(ownerName, 'user', 'responseElements.accessKey.userName'),
    );
  } else if (caller?.kind === 'user' || caller?.kind === 'root') {
    owner = caller.id;
  }
  const keyId = validAccessKeyId(response.accessKey?.accessKeyId);
  if (keyId?.startsWith('AKIA') && owner?.includes(':user/')) {
    resources.add({ kind: 'access-key', id: keyId, parent: owner });
  }
  const selfService = owner !== undefined && caller?.id === owner;
  return { severity: selfService ? 3 : 7, context: { selfService, ...(owner ? { keyOwner: owner } : {}) } };
}
