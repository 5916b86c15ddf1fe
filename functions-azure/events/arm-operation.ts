import type { ResourceRef } from '../../core/alert.ts';
import {
  containerResourceId,
  isContainerName,
  parseAiAccountId,
  parseStorageAccountId,
} from '../../packs/azure/names.ts';
import { ACCESS_CHANGE_OPERATIONS, KEY_OPERATIONS } from '../../packs/azure/playbooks.ts';
import { AI_ACCOUNT_WRITE, AI_KEY_OPERATIONS } from '../../packs/azure/playbooks-ai.ts';

const KNOWN = [...KEY_OPERATIONS, ...ACCESS_CHANGE_OPERATIONS, ...AI_KEY_OPERATIONS, AI_ACCOUNT_WRITE];

/** ARM answers operation names in any casing (`listkeys/action`); playbooks use one. */
export function canonicalOperation(name: string): string {
  return KNOWN.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** How serious an ARM operation is for protected storage. */
export function operationSeverity(operation: string, facts: { localAuth?: string } = {}): number {
  if ((KEY_OPERATIONS as readonly string[]).includes(operation)) return 8;
  if ((AI_KEY_OPERATIONS as readonly string[]).includes(operation)) return 8;
  if (operation === AI_ACCOUNT_WRITE) return facts.localAuth === 'enabled' ? 7 : 3;
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

/** Storage (storageRefs) or an Azure OpenAI / AI Foundry account an ARM resource id points into. */
export function resourceRefs(resourceId: string | undefined): ResourceRef[] {
  const storage = storageRefs(resourceId);
  if (storage.length || !resourceId) return storage;
  const ai = parseAiAccountId(resourceId);
  return ai ? [{ kind: 'ai-account', id: ai.id }] : [];
}

/**
 * Whether an AI account write turned API-key access back on: `enabled` when the request body says
 * `properties.disableLocalAuth: false`, `off` when it says true or does not touch it, `unknown`
 * without a body (Event Grid resource events carry none; the Activity Log does).
 */
export function localAuthFact(operation: string, requestBody: Record<string, unknown> | undefined) {
  if (operation !== AI_ACCOUNT_WRITE) return {};
  if (!requestBody) return { localAuth: 'unknown' };
  const props = requestBody.properties as { disableLocalAuth?: unknown } | undefined;
  return { localAuth: props?.disableLocalAuth === false ? 'enabled' : 'off' };
}

/** The scope a role assignment was written at: its id without `/providers/Microsoft.Authorization/roleAssignments/<name>`. */
export function assignmentScope(resourceId: string): string {
  return resourceId.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, '') || '/';
}
