import type { Applied, Executor } from '../../core/executor.ts';
import type { RestrictAiNetwork } from '../../packs/azure/actions.ts';
import type { AiAccountsClient, AiNetworkAcls } from '../ai-accounts-client.ts';
import { existing } from './disable-local-auth.ts';

/** The account's network rules as they were (null: none set, the account open to every network). */
export interface AiNetworkBefore {
  networkAcls: AiNetworkAcls | null;
  publicNetworkAccess: 'Enabled' | 'Disabled' | null;
}

const RESIDUAL =
  'network rules apply within minutes to new connections; private endpoints are not filtered by them; ' +
  'an identity that can still authenticate from an allowed network is not stopped by this step';

/**
 * Shuts an IP actor out of an AI account: network default action Deny with only the configured
 * application networks and the responder network allowed (ARM `properties.networkAcls`). An account
 * closed to public networks already (`publicNetworkAccess: Disabled`) is left alone. Release puts the
 * recorded rules back.
 */
export function restrictAiNetwork(ai: AiAccountsClient): Executor<RestrictAiNetwork, AiNetworkBefore> {
  return {
    permissions: [
      'Microsoft.CognitiveServices/accounts/read',
      'Microsoft.CognitiveServices/accounts/write',
      // A virtual network rule needs this on each subnet it names.
      'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
    ],

    async read(action) {
      const state = await existing(ai, action.params.accountId);
      return {
        networkAcls: state.networkAcls ?? null,
        publicNetworkAccess: state.publicNetworkAccess ?? null,
      };
    },

    async apply(action, before): Promise<Applied> {
      const { network, blockedAddress } = action.params;
      const details = {
        blocked: blockedAddress,
        allowed: [...network.virtualNetworkSubnetIds, ...network.ipRanges],
        residual: RESIDUAL,
      };
      if (before.publicNetworkAccess === 'Disabled') return { outcome: 'already-applied', details };
      await ai.update(action.params.accountId, {
        networkAcls: {
          defaultAction: 'Deny',
          ipRules: network.ipRanges.map((value) => ({ value })),
          virtualNetworkRules: network.virtualNetworkSubnetIds.map((id) => ({ id })),
          ...(before.networkAcls?.bypass ? { bypass: before.networkAcls.bypass } : {}),
        },
      });
      return { outcome: 'applied', details };
    },

    async undo(action, before): Promise<Applied> {
      const networkAcls = before.networkAcls ?? {
        defaultAction: 'Allow',
        ipRules: [],
        virtualNetworkRules: [],
      };
      await ai.update(action.params.accountId, { networkAcls });
      return { outcome: 'applied', details: { restored: networkAcls } };
    },
  };
}
