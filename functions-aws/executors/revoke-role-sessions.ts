import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { Executor } from '../../core/executor.ts';
import type { RevokeRoleSessions } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import {
  type InlinePolicyBefore,
  MANAGED_POLICY_PERMISSIONS,
  sessionRevocationExecutor,
} from './session-revocation.ts';

/**
 * Revokes every live session of a role (10,240-character aggregate inline quota; when it is full,
 * through a customer managed policy with the same document, attached to the role).
 */
export function revokeRoleSessions(clients: ClientsFor): Executor<RevokeRoleSessions, InlinePolicyBefore> {
  return sessionRevocationExecutor<RevokeRoleSessions>(clients, {
    principal: 'role',
    nameOf: (a) => a.params.roleName,
    get: (iam, a) =>
      iam.send(new GetRolePolicyCommand({ RoleName: a.params.roleName, PolicyName: a.params.policyName })),
    put: (iam, a, document) =>
      iam.send(
        new PutRolePolicyCommand({
          RoleName: a.params.roleName,
          PolicyName: a.params.policyName,
          PolicyDocument: document,
        }),
      ),
    remove: (iam, a) =>
      iam.send(new DeleteRolePolicyCommand({ RoleName: a.params.roleName, PolicyName: a.params.policyName })),
    managed: {
      attach: (iam, a, arn) =>
        iam.send(new AttachRolePolicyCommand({ RoleName: a.params.roleName, PolicyArn: arn })),
      detach: (iam, a, arn) =>
        iam.send(new DetachRolePolicyCommand({ RoleName: a.params.roleName, PolicyArn: arn })),
    },
    permissions: [
      'iam:AttachRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy',
      'iam:GetRolePolicy',
      'iam:PutRolePolicy',
      ...MANAGED_POLICY_PERMISSIONS,
    ],
  });
}
