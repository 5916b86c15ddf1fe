import type { ResourceRef } from '../../core/alert.ts';
import { containerResourceId, isContainerName, parseStorageAccountId } from '../../packs/azure/names.ts';
import { ACCESS_CHANGE_OPERATIONS, KEY_OPERATIONS } from '../../packs/azure/playbooks.ts';

const KNOWN = [...KEY_OPERATIONS, ...ACCESS_CHANGE_OPERATIONS];

/** ARM answers operation names in any casing (`listkeys/action`); playbooks use one. */
export function canonicalOperation(name: string): string {
  return KNOWN.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** How serious an ARM operation is for protected storage. */
export function operationSeverity(operation: string): number {
  if ((KEY_OPERATIONS as readonly string[]).includes(operation)) return 8;
  if (operation === 'Microsoft.Authorization/roleAssignments/write') return 8;
  if ((ACCESS_CHANGE_OPERATIONS as readonly string[]).includes(operation)) return 7;
  return 3;
}

/**
 * The storage account (and container) an ARM resource id points into, e.g. a role assignment
 * `…/storageAccounts/stweights/providers/Microsoft.Authorization/roleAssignments/<id>` names
 * stweights. Nothing for ids outside storage.
 */
export function storageRefs(resourceId: string | undefined): ResourceRef[] {
  if (!resourceId) return [];
  const m =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)(?:\/blobServices\/default\/containers\/([^/]+))?(?:\/|$)/i.exec(
      resourceId,
    );
  const account = m?.[1] ? parseStorageAccountId(m[1]) : undefined;
  if (!account) return [];
  if (m?.[2] && isContainerName(m[2]))
    return [{ kind: 'container', id: containerResourceId(account.id, m[2]) }];
  return [{ kind: 'storage-account', id: account.id }];
}

/** The scope a role assignment was written at: its id without `/providers/Microsoft.Authorization/roleAssignments/<name>`. */
export function assignmentScope(resourceId: string): string {
  return resourceId.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, '') || '/';
}
