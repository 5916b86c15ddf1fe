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
  /** Null when never set (Azure reads that as Enabled); absent in journals written before it was recorded. */
  publicNetworkAccess?: string | null;
  /** The account's approved private endpoints (read to decide, not restored). */
  privateEndpoints?: string[];
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
        publicNetworkAccess: account.publicNetworkAccess ?? null,
        privateEndpoints: (account.privateEndpointConnections ?? [])
          .filter((c) => c.privateLinkServiceConnectionState?.status === 'Approved')
          .flatMap((c) => (c.privateEndpoint?.id ? [c.privateEndpoint.id] : [])),
      };
    },

    async apply(action, before): Promise<Applied> {
      const { resourceGroup, accountName, network, rotateKeys } = action.params;
      const accounts = clients.storage(action.account).storageAccounts;
      const publicAccess = publicNetworkAccess(action, before);
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
            ...(publicAccess.disable ? { publicNetworkAccess: 'Disabled' } : {}),
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
          ...(publicAccess.detail ? { publicNetworkAccess: publicAccess.detail } : {}),
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
          // Only when quarantine set them: with `network: null` it left them alone, and whatever changed
          // them since (a person, another action's undo, which release runs at the same time) stands.
          ...(action.params.network && before.networkRuleSet
            ? { networkRuleSet: before.networkRuleSet }
            : {}),
          // Only when quarantine changed it: an old journal or an account left alone keeps its value.
          ...(before.publicNetworkAccess !== undefined && publicNetworkAccess(action, before).disable
            ? { publicNetworkAccess: before.publicNetworkAccess ?? 'Enabled' }
            : {}),
        }),
      );
      return { outcome: 'applied', details: { restored: before } };
    },
  };
}

/**
 * Whether quarantine turns public network access off: opted in, not off already, and a stated
 * responder private endpoint approved on the account (otherwise responders would be locked out of
 * the data plane). `detail` says what happened and why.
 */
function publicNetworkAccess(
  action: QuarantineStorageAccount,
  before: AccountBefore,
): { disable: boolean; detail?: string } {
  if (!action.params.disablePublicNetworkAccess) return { disable: false };
  if (before.publicNetworkAccess === 'Disabled') return { disable: false, detail: 'already disabled' };
  const stated = new Set((action.params.responderPrivateEndpoints ?? []).map((id) => id.toLowerCase()));
  const path = (before.privateEndpoints ?? []).find((id) => stated.has(id.toLowerCase()));
  return path
    ? { disable: true, detail: `disabled; responders reach the data plane through ${path}` }
    : {
        disable: false,
        detail:
          'left enabled: no azure.quarantine.responderPrivateEndpoints entry is an approved private endpoint ' +
          'connection of this account, and disabling would lock the responders out of the data plane',
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
