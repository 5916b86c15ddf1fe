import type { Action } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';

/**
 * The Azure half of the plan guard (core/plan-guard.ts): whatever a plan read back from the journal
 * says, evidence is copied into the configured evidence container only, and a just-in-time grant
 * gives only a blob data role on an asset. What is wrong with `action`, or `[]`. (Azure actions write
 * no policy documents: nothing like AWS's Deny-only check.)
 */
export function checkAzurePlanned(action: Action, config: Config): string[] {
  const where = `${action.id} ${action.kind}`;
  switch (action.kind) {
    case 'copy-blob-evidence': {
      const evidence = config.azure?.evidence;
      const same =
        action.params.evidenceStorageAccountId.toLowerCase() === evidence?.storageAccount.toLowerCase() &&
        action.params.evidenceContainer === evidence?.container;
      return same ? [] : [`${where} copies outside the evidence container`];
    }
    case 'grant-role':
      return assetRoleGrant(action.params, config).map((p) => `${where} ${p}`);
    default:
      return [];
  }
}

/** The Storage Blob Data Reader and Contributor role definition ids (Azure built-in roles). */
const GRANTABLE_ROLES = ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'];

/** A grant gives only the blob data roles, only on an asset account or its containers. */
function assetRoleGrant(p: { roleDefinitionId: string; scope: string }, config: Config): string[] {
  const out: string[] = [];
  if (!GRANTABLE_ROLES.some((r) => p.roleDefinitionId.toLowerCase().endsWith(`/roledefinitions/${r}`)))
    out.push('grants a role other than Storage Blob Data Reader or Contributor');
  const scope = p.scope.toLowerCase();
  const onAsset = (config.azure?.assets ?? []).some((a) => {
    const id = a.storageAccount.toLowerCase();
    return scope === id || scope.startsWith(`${id}/blobservices/default/containers/`);
  });
  if (!onAsset) out.push('grants outside the asset storage accounts');
  return out;
}
