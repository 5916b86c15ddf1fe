import * as z from 'zod/mini';
import type { PrincipalRef } from '../../core/alert.ts';
import { canonicalIamArn } from '../../packs/aws/names.ts';
import { type Exposure, policyExposure } from './bucket-exposure.ts';
import type { Facts } from './cloudtrail-s3.ts';
import { iamName } from './principal.ts';
import { parseShape, text } from './shape.ts';

const optionalText = z.optional(text(2048));
const paramsShape = z.looseObject({
  roleName: optionalText,
  userName: optionalText,
  policyDocument: z.optional(z.string().check(z.maxLength(131_072))),
});

/** A trust policy opened this far: to anyone 9, to another account or an identity provider 8, nothing new 3. */
const TRUST_SEVERITY: Record<Exposure, number> = { public: 9, 'cross-account': 8, none: 3 };

/** The IAM calls that keep an attacker in after their keys are gone (seen in real attack captures). */
export const PERSISTENCE_EVENTS = [
  'UpdateAssumeRolePolicy',
  'CreateLoginProfile',
  'UpdateLoginProfile',
] as const;

/**
 * Severity and facts of the persistence calls (IAM API Reference; CloudTrail records the new trust
 * policy as JSON text in `requestParameters.policyDocument`):
 * - UpdateAssumeRolePolicy: by how far the new trust reaches (TRUST_SEVERITY): a backdoored trust
 *   lets another account, an identity provider or anyone assume the role from now on.
 * - CreateLoginProfile / UpdateLoginProfile 7 when the console password is another user's (a new
 *   way in, or a takeover), 3 when users change their own.
 * The change itself is not reverted: the old trust policy is not in the event, and deleting a
 * password deletes a credential. The target is named in `context.target` for the escalation.
 */
export function persistenceFacts(
  eventName: (typeof PERSISTENCE_EVENTS)[number],
  requestParameters: unknown,
  account: string,
  caller: PrincipalRef | null,
): Facts {
  const p = parseShape(paramsShape, requestParameters ?? {}, 'detail.requestParameters');
  if (eventName === 'UpdateAssumeRolePolicy') {
    const role = canonicalIamArn(
      account,
      'role',
      iamName(p.roleName ?? '', 'role', 'requestParameters.roleName'),
    );
    const trustExposure = policyExposure(p.policyDocument ?? '', account, 'requestParameters.policyDocument');
    return { severity: TRUST_SEVERITY[trustExposure], context: { target: role, trustExposure } };
  }
  // Without a user name the call is about the caller's own login profile.
  const target =
    p.userName === undefined
      ? caller?.id
      : canonicalIamArn(account, 'user', iamName(p.userName, 'user', 'requestParameters.userName'));
  const selfService = target !== undefined && target === caller?.id;
  return {
    severity: selfService ? 3 : 7,
    context: {
      selfService,
      ...(target ? { target } : {}),
      consoleAccess: eventName === 'CreateLoginProfile' ? 'added' : 'changed',
    },
  };
}
