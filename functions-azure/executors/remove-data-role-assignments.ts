import type { RoleAssignment } from '@azure/arm-authorization';
import type { Applied, Executor } from '../../core/executor.ts';
import type { RemoveDataRoleAssignments } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';
import type { Guarded } from './guarded.ts';
import {
  type AssignmentRecord,
  armScope,
  collect,
  recreateAssignments,
  subscriptionOf,
  toRecord,
} from './remove-role-assignments.ts';

/**
 * Built-in data-plane roles (learn.microsoft.com, "Azure built-in roles", Storage): Storage Blob
 * Data Owner, Contributor and Reader. Any other role is judged by its data actions.
 */
export const BLOB_DATA_ROLES: ReadonlySet<string> = new Set([
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
]);

/** Blob data actions a role's `dataActions` (with `*` wildcards) may cover. */
const BLOB_DATA_ACTIONS = [
  'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
  'microsoft.storage/storageaccounts/blobservices/containers/blobs/write',
  'microsoft.storage/storageaccounts/blobservices/containers/blobs/delete',
];

export interface DataRoleBefore {
  /** The assignments to remove, recorded in full (recreated on release). */
  assignments: AssignmentRecord[];
  /** Data-role assignments of guarded principals, left in place. */
  skipped: { id: string; principalId: string }[];
}

/**
 * Removes direct data-plane role assignments at a quarantined storage account and its containers,
 * so Entra identities holding them lose blob access (after RBAC propagation; issued tokens keep
 * working until they expire). Deleting an assignment is allowed; role definitions are never changed.
 */
export function removeDataRoleAssignments(
  clients: AzureClients,
  guarded: Guarded,
): Executor<RemoveDataRoleAssignments, DataRoleBefore> {
  return {
    permissions: [
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleAssignments/delete',
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleDefinitions/read',
    ],

    async read(action) {
      const { storageAccountId, containerScopes } = action.params;
      const auth = clients.authorization(subscriptionOf(storageAccountId));
      const scopes = [storageAccountId, ...containerScopes];
      const wanted = new Set(scopes.map((s) => s.toLowerCase()));
      const byId = new Map<string, AssignmentRecord>();
      for (const scope of scopes) {
        const found: RoleAssignment[] = await azureCall(() =>
          collect(auth.roleAssignments.listForScope(armScope(scope))),
        );
        for (const a of found) {
          const record = toRecord(a);
          // Exact scope only: inherited assignments (subscription, resource group) are not ours to cut.
          if (record && wanted.has(record.scope.toLowerCase())) byId.set(record.id.toLowerCase(), record);
        }
      }
      const isData = new Map<string, boolean>();
      const assignments: AssignmentRecord[] = [];
      const skipped: DataRoleBefore['skipped'] = [];
      for (const record of [...byId.values()].sort((x, y) => x.id.localeCompare(y.id))) {
        const roleId = record.roleDefinitionId;
        if (!isData.has(roleId.toLowerCase())) {
          isData.set(roleId.toLowerCase(), await grantsBlobData(auth, roleId));
        }
        if (!isData.get(roleId.toLowerCase())) continue;
        if (guarded.has(record.principalId)) skipped.push({ id: record.id, principalId: record.principalId });
        else assignments.push(record);
      }
      return { assignments, skipped };
    },

    async apply(action, before): Promise<Applied> {
      // The guard again, behind the read: a recorded before-state is never trusted to be clean.
      const removable = before.assignments.filter((a) => !guarded.has(a.principalId));
      const results = await Promise.all(
        removable.map(async (a) => {
          const out = await azureCall(
            () =>
              clients
                .authorization(subscriptionOf(a.scope))
                .roleAssignments.delete(armScope(a.scope), a.name),
            { '404': () => 'gone' as const },
          );
          // ARM answers 200 with the deleted assignment, or 204 and no body when it was already gone.
          return out === 'gone' || !out?.id ? 'gone' : 'removed';
        }),
      );
      return {
        outcome: results.includes('removed') ? 'applied' : 'already-applied',
        details: {
          account: action.params.accountName,
          removed: removable.filter((_, i) => results[i] === 'removed').map((a) => a.id),
          alreadyGone: removable.filter((_, i) => results[i] === 'gone').map((a) => a.id),
          skipped: before.skipped,
        },
      };
    },

    async undo(_action, before): Promise<Applied> {
      return recreateAssignments(clients, before.assignments);
    },
  };
}

/** Does the role definition grant blob data actions? Built-ins by id, others by reading the definition. */
async function grantsBlobData(
  auth: ReturnType<AzureClients['authorization']>,
  roleDefinitionId: string,
): Promise<boolean> {
  const guid = roleDefinitionId.slice(roleDefinitionId.lastIndexOf('/') + 1).toLowerCase();
  if (BLOB_DATA_ROLES.has(guid)) return true;
  const def = await azureCall(() => auth.roleDefinitions.getById(armScope(roleDefinitionId)));
  return (def.permissions ?? []).some((p) =>
    (p.dataActions ?? []).some((d) => {
      const glob = new RegExp(
        `^${d
          .toLowerCase()
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
      );
      return BLOB_DATA_ACTIONS.some((b) => glob.test(b));
    }),
  );
}
