import { type IAMClient, paginateListAccessKeys, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { DeactivateAccessKeys } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { awsCall } from '../errors.ts';

/** Every access key of the user with its status, as it was before the first attempt. */
export interface AccessKeysBefore {
  keys: { accessKeyId: string; status: 'Active' | 'Inactive' | 'Expired' }[];
}

const RESIDUAL =
  'An inactive key signs no new requests, but STS sessions already obtained with it stay valid until ' +
  'they expire: the session-revoking deny on the user covers those.';

/**
 * Sets the user's named keys (or all of them) Inactive. Keys are never deleted: release reactivates
 * exactly the keys that were Active before.
 */
export function deactivateAccessKeys(clients: ClientsFor): Executor<DeactivateAccessKeys, AccessKeysBefore> {
  return {
    permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],

    async read(action, ctx) {
      const { iam } = await clients(action.account, ctx.incidentId);
      return { keys: await listKeys(iam, action.params.userName) };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const { userName, accessKeyIds, allKeys } = action.params;
      const owned = new Map(before.keys.map((k) => [k.accessKeyId, k.status]));
      const wanted = allKeys ? [...new Set([...owned.keys(), ...accessKeyIds])] : accessKeyIds;
      const foreign = wanted.filter((id) => !owned.has(id));
      const toDeactivate = wanted.filter((id) => owned.get(id) === 'Active');
      const alreadyInactive = wanted.filter((id) => owned.has(id) && owned.get(id) !== 'Active');

      const { iam } = await clients(action.account, ctx.incidentId);
      await Promise.all(toDeactivate.map((id) => setStatus(iam, userName, id, 'Inactive')));
      if (foreign.length) {
        throw new ActionError(
          `access key(s) ${foreign.join(', ')} do not belong to user ${userName}` +
            `${toDeactivate.length ? ` (deactivated ${toDeactivate.join(', ')})` : ''}: ` +
            'find the owner with `aws iam get-access-key-last-used --access-key-id <id>` and deactivate it by hand',
        );
      }
      const details = { deactivated: toDeactivate, alreadyInactive, residual: RESIDUAL };
      return { outcome: toDeactivate.length ? 'applied' : 'already-applied', details };
    },

    async undo(action, before, ctx): Promise<Applied> {
      const { userName, accessKeyIds, allKeys } = action.params;
      const wasActive = before.keys
        .filter((k) => k.status === 'Active' && (allKeys || accessKeyIds.includes(k.accessKeyId)))
        .map((k) => k.accessKeyId);
      const { iam } = await clients(action.account, ctx.incidentId);
      const now = new Map((await listKeys(iam, userName)).map((k) => [k.accessKeyId, k.status]));
      // A key deleted by a human since then stays deleted; an Active one needs nothing.
      const reactivate = wasActive.filter((id) => now.get(id) === 'Inactive');
      await Promise.all(reactivate.map((id) => setStatus(iam, userName, id, 'Active')));
      const gone = wasActive.filter((id) => !now.has(id));
      return {
        outcome: reactivate.length ? 'applied' : 'already-applied',
        details: { reactivated: reactivate, ...(gone.length ? { deletedSince: gone } : {}) },
      };
    },
  };
}

async function listKeys(iam: IAMClient, userName: string): Promise<AccessKeysBefore['keys']> {
  return awsCall(async () => {
    const keys: AccessKeysBefore['keys'] = [];
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      for (const k of page.AccessKeyMetadata ?? []) {
        if (k.AccessKeyId) keys.push({ accessKeyId: k.AccessKeyId, status: k.Status ?? 'Inactive' });
      }
    }
    return keys;
  });
}

function setStatus(iam: IAMClient, userName: string, accessKeyId: string, status: 'Active' | 'Inactive') {
  return awsCall(() =>
    iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status })),
  );
}
