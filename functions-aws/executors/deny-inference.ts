import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { Executor } from '../../core/executor.ts';
import type { DenyInference } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { type InlinePolicyBefore, sessionRevocationExecutor } from './session-revocation.ts';

const RESIDUAL =
  'IAM changes propagate within seconds to minutes; responses already streaming finish. The deny covers ' +
  'the principal (or the one session named): other identities that may invoke the same models are not touched.';

/**
 * Writes the inference Deny as an inline policy on the role or user the action names, with the
 * exact document of the plan (the same read / apply / undo as the session-revoking deny, so the
 * same quota handling holds). Undo deletes the policy.
 */
export function denyInference(clients: ClientsFor): Executor<DenyInference, InlinePolicyBefore> {
  const name = (a: DenyInference) => ({ PolicyName: a.params.policyName });
  const onRole = sessionRevocationExecutor<DenyInference>(clients, {
    principal: 'role',
    nameOf: (a) => a.params.principalName,
    get: (iam, a) => iam.send(new GetRolePolicyCommand({ RoleName: a.params.principalName, ...name(a) })),
    put: (iam, a, document) =>
      iam.send(
        new PutRolePolicyCommand({ RoleName: a.params.principalName, ...name(a), PolicyDocument: document }),
      ),
    remove: (iam, a) =>
      iam.send(new DeleteRolePolicyCommand({ RoleName: a.params.principalName, ...name(a) })),
    permissions: ['iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
    residual: RESIDUAL,
  });
  const onUser = sessionRevocationExecutor<DenyInference>(clients, {
    principal: 'user',
    nameOf: (a) => a.params.principalName,
    get: (iam, a) => iam.send(new GetUserPolicyCommand({ UserName: a.params.principalName, ...name(a) })),
    put: (iam, a, document) =>
      iam.send(
        new PutUserPolicyCommand({ UserName: a.params.principalName, ...name(a), PolicyDocument: document }),
      ),
    remove: (iam, a) =>
      iam.send(new DeleteUserPolicyCommand({ UserName: a.params.principalName, ...name(a) })),
    permissions: ['iam:DeleteUserPolicy', 'iam:GetUserPolicy', 'iam:PutUserPolicy'],
    residual: RESIDUAL,
  });
  const on = (a: DenyInference) => (a.params.principalType === 'role' ? onRole : onUser);
  return {
    permissions: [...onRole.permissions, ...onUser.permissions].sort(),
    // The policy's name is unique to the incident (`inferencePolicyName`): before the claim it cannot exist.
    knownBefore: () => ({ policyDocument: null }),
    read: (action, ctx) => on(action).read(action, ctx),
    apply: (action, before, ctx) => on(action).apply(action, before, ctx),
    undo: (action, before, ctx) => on(action).undo(action, before, ctx),
  };
}
