import type { PublicAccessType, SignedIdentifier } from '@azure/storage-blob';
import type { Applied, Executor } from '../../core/executor.ts';
import type { QuarantineContainer } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';

/** A stored access policy as recorded: dates as ISO text, so the journal can hold it. */
export interface StoredPolicy {
  id: string;
  startsOn?: string;
  expiresOn?: string;
  permissions?: string;
}

export interface ContainerBefore {
  publicAccess: PublicAccessType | 'none';
  policies: StoredPolicy[];
}

/**
 * Sets a container private and removes its stored access policies in one Set Container ACL, so
 * every service SAS issued under those policies stops working (Azure applies it within 30 s).
 * Release puts the recorded access level and policies back, and with them the SAS that used them.
 */
export function quarantineContainer(clients: AzureClients): Executor<QuarantineContainer, ContainerBefore> {
  const container = (a: QuarantineContainer) =>
    clients.blob(a.params.accountName).getContainerClient(a.params.container);
  return {
    permissions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/getAcl/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/setAcl/action',
    ],

    async read(action) {
      const acl = await azureCall(() => container(action).getAccessPolicy());
      return {
        publicAccess: acl.blobPublicAccess ?? 'none',
        policies: acl.signedIdentifiers.map((s) => ({
          id: s.id,
          ...(s.accessPolicy.startsOn ? { startsOn: new Date(s.accessPolicy.startsOn).toISOString() } : {}),
          ...(s.accessPolicy.expiresOn
            ? { expiresOn: new Date(s.accessPolicy.expiresOn).toISOString() }
            : {}),
          ...(s.accessPolicy.permissions ? { permissions: s.accessPolicy.permissions } : {}),
        })),
      };
    },

    async apply(action, before): Promise<Applied> {
      if (before.publicAccess === 'none' && before.policies.length === 0) {
        return { outcome: 'already-applied', details: { publicAccess: 'none', removedPolicies: [] } };
      }
      await azureCall(() => container(action).setAccessPolicy(undefined, []));
      return {
        outcome: 'applied',
        details: {
          publicAccessWas: before.publicAccess,
          removedPolicies: before.policies.map((p) => p.id),
          residual: 'removing a stored access policy takes up to 30 seconds to stop the SAS issued under it',
        },
      };
    },

    async undo(action, before): Promise<Applied> {
      const acl: SignedIdentifier[] = before.policies.map((p) => ({
        id: p.id,
        accessPolicy: {
          ...(p.startsOn ? { startsOn: new Date(p.startsOn) } : {}),
          ...(p.expiresOn ? { expiresOn: new Date(p.expiresOn) } : {}),
          ...(p.permissions ? { permissions: p.permissions } : {}),
        },
      }));
      const access = before.publicAccess === 'none' ? undefined : before.publicAccess;
      await azureCall(() => container(action).setAccessPolicy(access, acl));
      return {
        outcome: 'applied',
        details: { restoredPolicies: acl.map((p) => p.id), publicAccess: before.publicAccess },
      };
    },
  };
}
