import type { Action } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';

/**
 * The Azure half of the plan guard (core/plan-guard.ts): whatever a plan read back from the journal
 * says, evidence is copied into the configured evidence container only, a just-in-time grant
 * gives only a blob data role on an asset, and AI accounts are closed only when configured, with
 * network rules that allow nothing the configuration does not name. What is wrong with `action`,
 * or `[]`. (Azure actions write no policy documents: nothing like AWS's Deny-only check.)
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
    case 'disable-local-auth':
    case 'regenerate-ai-keys':
      return configuredAi(action.params.accountId, config)
        ? []
        : [`${where} acts on an AI account not in azure.inference.accounts`];
    case 'restrict-ai-network': {
      const account = configuredAi(action.params.accountId, config);
      const allowed = new Set(
        [account?.allowedNetworks, config.azure?.responderNetwork].flatMap((n) => [
          ...(n?.ipRanges ?? []),
          ...(n?.virtualNetworkSubnetIds ?? []).map((id) => id.toLowerCase()),
        ]),
      );
      const { network } = action.params;
      const widened = [
        ...network.ipRanges,
        ...network.virtualNetworkSubnetIds.map((id) => id.toLowerCase()),
      ].filter((n) => !allowed.has(n));
      if (!account) return [`${where} acts on an AI account not in azure.inference.accounts`];
      if (network.defaultAction !== 'Deny') return [`${where} sets a network default action other than Deny`];
      return widened.length
        ? [`${where} allows networks the configuration does not name: ${widened.join(', ')}`]
        : [];
    }
    case 'restrict-storage-network': {
      // The responders it adds are the configured responder network, nothing wider.
      const configured = config.azure?.responderNetwork;
      const allowed = new Set([
        ...(configured?.ipRanges ?? []),
        ...(configured?.virtualNetworkSubnetIds ?? []).map((id) => id.toLowerCase()),
      ]);
      const { responders } = action.params;
      const widened = [
        ...responders.ipRanges,
        ...responders.virtualNetworkSubnetIds.map((id) => id.toLowerCase()),
      ].filter((n) => !allowed.has(n));
      return widened.length
        ? [`${where} allows networks azure.responderNetwork does not name: ${widened.join(', ')}`]
        : [];
    }
    case 'grant-role':
      return assetRoleGrant(action.params, config).map((p) => `${where} ${p}`);
    default:
      return [];
  }
}

function configuredAi(accountId: string, config: Config) {
  return config.azure?.inference.accounts.find((a) => a.account.toLowerCase() === accountId.toLowerCase());
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
