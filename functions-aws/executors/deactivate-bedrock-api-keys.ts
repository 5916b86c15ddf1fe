import {
  type IAMClient,
  ListServiceSpecificCredentialsCommand,
  UpdateServiceSpecificCredentialCommand,
} from '@aws-sdk/client-iam';
import type { Applied, Executor } from '../../core/executor.ts';
import type { DeactivateBedrockApiKeys } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { awsCall } from '../errors.ts';

/** Every Bedrock API key (service-specific credential) of the user with its status, before the first attempt. */
export interface BedrockKeysBefore {
  keys: { credentialId: string; status: 'Active' | 'Inactive' | 'Expired' }[];
}

const RESIDUAL =
  'Short-term Bedrock API keys are derived from a session and cannot be deactivated one by one: the ' +
  'bedrock:CallWithBearerToken deny covers them. Requests already answered are not recalled.';

/**
 * Sets every Bedrock API key of the user Inactive (IAM `UpdateServiceSpecificCredential`), never
 * deleting one; release reactivates exactly those that were Active. A user with no such key is
 * already contained on this path.
 */
export function deactivateBedrockApiKeys(
  clients: ClientsFor,
): Executor<DeactivateBedrockApiKeys, BedrockKeysBefore> {
  return {
    permissions: ['iam:ListServiceSpecificCredentials', 'iam:UpdateServiceSpecificCredential'],

    async read(action, ctx) {
      const { iam } = await clients(action.account, ctx.incidentId);
      return { keys: await listKeys(iam, action) };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const active = before.keys.filter((k) => k.status === 'Active').map((k) => k.credentialId);
      const { iam } = await clients(action.account, ctx.incidentId);
      await Promise.all(active.map((id) => setStatus(iam, action.params.userName, id, 'Inactive')));
      const details = {
        deactivated: active,
        alreadyInactive: before.keys.filter((k) => k.status !== 'Active').map((k) => k.credentialId),
        residual: RESIDUAL,
      };
      return { outcome: active.length ? 'applied' : 'already-applied', details };
    },

    async undo(action, before, ctx): Promise<Applied> {
      const { iam } = await clients(action.account, ctx.incidentId);
      const now = new Map((await listKeys(iam, action)).map((k) => [k.credentialId, k.status]));
      const wasActive = before.keys.filter((k) => k.status === 'Active').map((k) => k.credentialId);
      // A key deleted by a human since then stays deleted; an Active one needs nothing.
      const reactivate = wasActive.filter((id) => now.get(id) === 'Inactive');
      await Promise.all(reactivate.map((id) => setStatus(iam, action.params.userName, id, 'Active')));
      const gone = wasActive.filter((id) => !now.has(id));
      return {
        outcome: reactivate.length ? 'applied' : 'already-applied',
        details: { reactivated: reactivate, ...(gone.length ? { deletedSince: gone } : {}) },
      };
    },
  };
}

async function listKeys(
  iam: IAMClient,
  action: DeactivateBedrockApiKeys,
): Promise<BedrockKeysBefore['keys']> {
  const keys: BedrockKeysBefore['keys'] = [];
  let marker: string | undefined;
  do {
    const out = await awsCall(() =>
      iam.send(
        new ListServiceSpecificCredentialsCommand({
          UserName: action.params.userName,
          ServiceName: action.params.serviceName,
          ...(marker ? { Marker: marker } : {}),
        }),
      ),
    );
    for (const c of out.ServiceSpecificCredentials ?? []) {
      if (c.ServiceSpecificCredentialId)
        keys.push({ credentialId: c.ServiceSpecificCredentialId, status: c.Status ?? 'Inactive' });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return keys;
}

function setStatus(iam: IAMClient, userName: string, id: string, status: 'Active' | 'Inactive') {
  return awsCall(() =>
    iam.send(
      new UpdateServiceSpecificCredentialCommand({
        UserName: userName,
        ServiceSpecificCredentialId: id,
        Status: status,
      }),
    ),
  );
}
