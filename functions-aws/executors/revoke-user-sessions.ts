import { DeleteUserPolicyCommand, GetUserPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { Executor } from '../../core/executor.ts';
import type { RevokeUserSessions } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { type InlinePolicyBefore, sessionRevocationExecutor } from './session-revocation.ts';

/** Revokes every live session of an IAM user (2,048-character aggregate inline quota). */
export function revokeUserSessions(clients: ClientsFor): Executor<RevokeUserSessions, InlinePolicyBefore> {
  return sessionRevocationExecutor<RevokeUserSessions>(clients, {
    principal: 'user',
    nameOf: (a) => a.params.userName,
    get: (iam, a) =>
      iam.send(new GetUserPolicyCommand({ UserName: a.params.userName, PolicyName: a.params.policyName })),
    put: (iam, a, document) =>
      iam.send(
        new PutUserPolicyCommand({
          UserName: a.params.userName,
          PolicyName: a.params.policyName,
          PolicyDocument: document,
        }),
      ),
    remove: (iam, a) =>
      iam.send(new DeleteUserPolicyCommand({ UserName: a.params.userName, PolicyName: a.params.policyName })),
    permissions: ['iam:DeleteUserPolicy', 'iam:GetUserPolicy', 'iam:PutUserPolicy'],
  });
}
