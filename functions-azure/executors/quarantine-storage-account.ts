import type { NetworkRuleSet } from '@azure/arm-storage';
import type { Applied, Executor } from '../../core/executor.ts';
import type { QuarantineStorageAccount } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';

/** The account properties quarantine changes, as they were. */
export interface AccountBefore {
  /** Null when the account never set it: Azure reads that as true. */
  allowSharedKeyAccess: boolean | null;
  /** Null when never set: Azure reads that as false (accounts since 2023) or true (older). */
  allowBlobPublicAccess: boolean | null;
  networkRuleSet: NetworkRuleSet | null;
}

export const RESIDUAL_STORAGE =
  'data-plane requests already in flight finish; network rules and Shared Key changes apply within seconds; ' +
  'revoked user delegation keys and rotated account keys are not restored on release';

/**
 * Closes a storage account through ARM: Shared Key and public access off, the network default
 * action Deny with only the responder network allowed (left untouched when none is configured),
 * every user delegation key revoked, optionally both keys rotated. Control-plane only, so it works
 * whatever the network rules say, and responders can always lift it through ARM.
 */
export function quarantineStorageAccount(
  clients: AzureClients,
): Executor<QuarantineStorageAccount, AccountBefore> {
  return {
    permissions: [
      'Microsoft.Storage/storageAccounts/read',
      'Microsoft.Storage/storageAccounts/write',
      'Microsoft.Storage/storageAccounts/revokeUserDelegationKeys/action',
      'Microsoft.Storage/storageAccounts/regeneratekey/action',
      // Setting a virtual network rule needs this on the responder subnet.
      'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
    ],

    async read(action) {
      const { resourceGroup, accountName } = action.params;
      const account = await azureCall(() =>
        clients.storage(action.account).storageAccounts.getProperties(resourceGroup, accountName),
      );
      return {
        allowSharedKeyAccess: account.allowSharedKeyAccess ?? null,
        allowBlobPublicAccess: account.allowBlobPublicAccess ?? null,
        networkRuleSet: account.networkRuleSet ? plainRules(account.networkRuleSet) : null,
      };
    },

    async apply(action, before): Promise<Applied> {
      const { resourceGroup, accountName, network, rotateKeys } = action.params;
      const accounts = clients.storage(action.account).storageAccounts;
      const networkRuleSet: NetworkRuleSet | undefined = network
        ? {
            defaultAction: 'Deny',
            bypass: before.networkRuleSet?.bypass ?? 'AzureServices',
            ipRules: network.ipRanges.map((r) => ({ iPAddressOrRange: r, action: 'Allow' as const })),
            virtualNetworkRules: network.virtualNetworkSubnetIds.map((id) => ({
              virtualNetworkResourceId: id,
              action: 'Allow' as const,
            })),
            resourceAccessRules: before.networkRuleSet?.resourceAccessRules ?? [],
          }
        : undefined;
      // Both cut the attacker off, and neither needs the other: one round, not two.
      await Promise.all([
        azureCall(() =>
          accounts.update(resourceGroup, accountName, {
            allowSharedKeyAccess: false,
            allowBlobPublicAccess: false,
            ...(networkRuleSet ? { networkRuleSet } : {}),
          }),
        ),
        azureCall(() => accounts.revokeUserDelegationKeys(resourceGroup, accountName)),
      ]);
      const rotated: string[] = [];
      if (rotateKeys) {
        for (const keyName of ['key1', 'key2']) {
          await azureCall(() => accounts.regenerateKey(resourceGroup, accountName, { keyName }));
          rotated.push(keyName);
        }
      }
      return {
        outcome: 'applied',
        details: {
          sharedKey: 'disabled',
          publicAccess: 'disabled',
          network: network
            ? `default action Deny; allowed: ${[...network.virtualNetworkSubnetIds, ...network.ipRanges].join(', ')}`
            : 'unchanged: no azure.responderNetwork configured, so the data plane stays reachable over the network',
          userDelegationKeys: 'revoked',
          rotatedKeys: rotated,
          residual: RESIDUAL_STORAGE,
        },
      };
    },

    async undo(action, before): Promise<Applied> {
      const { resourceGroup, accountName } = action.params;
      await azureCall(() =>
        clients.storage(action.account).storageAccounts.update(resourceGroup, accountName, {
          allowSharedKeyAccess: before.allowSharedKeyAccess ?? true,
          allowBlobPublicAccess: before.allowBlobPublicAccess ?? false,
          ...(before.networkRuleSet ? { networkRuleSet: before.networkRuleSet } : {}),
        }),
      );
      return { outcome: 'applied', details: { restored: before } };
    },
  };
}

/** The rule set as plain JSON (the journal keeps it; release sends it back as it was). */
export function plainRules(rules: NetworkRuleSet): NetworkRuleSet {
  return {
    defaultAction: rules.defaultAction,
    ...(rules.bypass ? { bypass: rules.bypass } : {}),
    ipRules: (rules.ipRules ?? []).map((r) => ({
      iPAddressOrRange: r.iPAddressOrRange,
      action: 'Allow' as const,
    })),
    virtualNetworkRules: (rules.virtualNetworkRules ?? []).map((r) => ({
      virtualNetworkResourceId: r.virtualNetworkResourceId,
      action: 'Allow' as const,
    })),
    resourceAccessRules: (rules.resourceAccessRules ?? []).map((r) => ({
      tenantId: r.tenantId,
      resourceId: r.resourceId,
    })),
  };
}
