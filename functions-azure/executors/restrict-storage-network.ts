import type { IPRule, NetworkRuleSet } from '@azure/arm-storage';
import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { RestrictStorageNetwork } from '../../packs/azure/actions.ts';
import { contains } from '../../packs/azure/inference.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';
import { plainRules } from './quarantine-storage-account.ts';

/** The account's network rules as they were (null: none set, the account open to every network). */
export interface StorageNetworkBefore {
  networkRuleSet: NetworkRuleSet | null;
  publicNetworkAccess: string | null;
}

const RESIDUAL =
  'network rules apply to the data plane only and within seconds to new requests; private endpoints and ' +
  'trusted Azure services (bypass) are not filtered by them; the caller from another address is not stopped';

/** An IPv4 rule (address or CIDR) the address falls in; other forms are never taken to admit it. */
function admits(rule: string, address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(rule) && contains(rule, address);
}

/**
 * Cuts one caller IP off a storage account (ARM `properties.networkAcls`): an account open to all
 * networks goes to default action Deny with its existing IP and virtual network rules kept (less
 * the caller) and the responder network added; an account that denies already loses the caller's
 * address from its IP rules. An account closed to public networks is left alone. Release puts the
 * recorded rule set back exactly.
 */
export function restrictStorageNetwork(
  clients: AzureClients,
): Executor<RestrictStorageNetwork, StorageNetworkBefore> {
  return {
    permissions: [
      'Microsoft.Storage/storageAccounts/read',
      'Microsoft.Storage/storageAccounts/write',
      // A virtual network rule needs this on each subnet it names.
      'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
    ],

    async read(action) {
      const { resourceGroup, accountName } = action.params;
      const account = await azureCall(() =>
        clients.storage(action.account).storageAccounts.getProperties(resourceGroup, accountName),
      );
      return {
        networkRuleSet: account.networkRuleSet ? plainRules(account.networkRuleSet) : null,
        publicNetworkAccess: account.publicNetworkAccess ?? null,
      };
    },

    async apply(action, before): Promise<Applied> {
      const { resourceGroup, accountName, blockedAddress, responders } = action.params;
      const rules = before.networkRuleSet;
      const isCaller = (r: IPRule) =>
        r.iPAddressOrRange === blockedAddress || r.iPAddressOrRange === `${blockedAddress}/32`;
      const kept = (rules?.ipRules ?? []).filter((r) => !isCaller(r));
      const details = { blocked: blockedAddress, residual: RESIDUAL };
      if (before.publicNetworkAccess === 'Disabled') return { outcome: 'already-applied', details };
      const denying = rules?.defaultAction === 'Deny';
      const ipRules = denying
        ? kept
        : [
            ...kept,
            ...responders.ipRanges
              .filter((r) => !kept.some((k) => k.iPAddressOrRange === r))
              .map((r) => ({ iPAddressOrRange: r, action: 'Allow' as const })),
          ];
      // A wider range would still let the caller in: changing the account then cuts nobody off and
      // only disrupts the others. Virtual network rules cannot: service endpoint traffic comes from
      // the subnet's private addresses, never from the caller's public one.
      const admitting = ipRules.map((r) => r.iPAddressOrRange).filter((r) => admits(r, blockedAddress));
      if (admitting.length)
        throw new ActionError(
          `${blockedAddress} NOT cut off ${accountName}: the IP rule(s) ${admitting.join(', ')} would still ` +
            'admit it; nothing changed — narrow or remove them by hand, or quarantine the account',
        );
      if (denying && kept.length === (rules?.ipRules ?? []).length)
        return { outcome: 'already-applied', details };
      const existingNets = rules?.virtualNetworkRules ?? [];
      const virtualNetworkRules = denying
        ? existingNets
        : [
            ...existingNets,
            ...responders.virtualNetworkSubnetIds
              .filter(
                (id) =>
                  !existingNets.some((v) => v.virtualNetworkResourceId.toLowerCase() === id.toLowerCase()),
              )
              .map((id) => ({ virtualNetworkResourceId: id, action: 'Allow' as const })),
          ];
      const networkRuleSet: NetworkRuleSet = {
        defaultAction: 'Deny',
        bypass: rules?.bypass ?? 'AzureServices',
        ipRules,
        virtualNetworkRules,
        resourceAccessRules: rules?.resourceAccessRules ?? [],
      };
      await azureCall(() =>
        clients
          .storage(action.account)
          .storageAccounts.update(resourceGroup, accountName, { networkRuleSet }),
      );
      return {
        outcome: 'applied',
        details: {
          ...details,
          network: denying
            ? `default action Deny kept; ${blockedAddress} removed from the IP rules`
            : `default action Deny; allowed: ${[
                ...virtualNetworkRules.map((v) => v.virtualNetworkResourceId),
                ...ipRules.map((r) => r.iPAddressOrRange),
              ].join(', ')}`,
        },
      };
    },

    async undo(action, before): Promise<Applied> {
      const { resourceGroup, accountName } = action.params;
      const networkRuleSet: NetworkRuleSet = before.networkRuleSet ?? {
        defaultAction: 'Allow',
        bypass: 'AzureServices',
        ipRules: [],
        virtualNetworkRules: [],
        resourceAccessRules: [],
      };
      await azureCall(() =>
        clients
          .storage(action.account)
          .storageAccounts.update(resourceGroup, accountName, { networkRuleSet }),
      );
      return { outcome: 'applied', details: { restored: before } };
    },
  };
}
