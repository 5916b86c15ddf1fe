import type { Action } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';

/**
 * The Azure half of the plan guard (core/plan-guard.ts): whatever a plan read back from the journal
 * says, evidence is copied into the configured evidence container only, and AI accounts are closed
 * only when configured, with network rules that allow nothing the configuration does not name. What
 * is wrong with `action`, or `[]`. (Azure actions write no policy documents: nothing like AWS's
 * Deny-only check.)
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
    default:
      return [];
  }
}

function configuredAi(accountId: string, config: Config) {
  return config.azure?.inference.accounts.find((a) => a.account.toLowerCase() === accountId.toLowerCase());
}
