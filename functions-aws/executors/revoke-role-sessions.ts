import { DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Executor } from '../../core/executor.ts';
import type { RevokeRoleSessions } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { type InlinePolicyBefore, sessionRevocationExecutor } from './session-revocation.ts';

/** Revokes every live session of a role (10,240-character aggregate inline quota). */
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
    permissions: ['iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:PutRolePolicy'],
  });
}
