import { type Config, parseConfig } from '../../../core/config.ts';

export const SUB = '4a1b2c3d-5e6f-4789-8abc-def012345678';
export const TENANT = 'b6c1a5e2-3f4d-4e8a-9c71-2d5e8f0a1b3c';
/** The function app's managed identity: Tourniquet itself. */
export const RESPONDER = '0d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';
export const BREAK_GLASS = 'e1e1e1e1-2b2b-4c3c-8d4d-5e5e5e5e5e5e';
export const ATTACKER = '6f1c2d3e-4a5b-4c6d-9e7f-8a9b0c1d2e3f';
export const USER = '2e7d9c1b-4a6f-4b3e-9d8c-7a6b5c4d3e2f';
export const DEPLOYER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const WEIGHTS = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stweights`;
export const EVIDENCE = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Storage/storageAccounts/stevidence`;
export const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Network/virtualNetworks/vnet-ir/subnets/snet-func`;

/** The `azure` section proposed for examples/tourniquet.config.json, in enforce mode. */
export function azureSection(overrides: Record<string, unknown> = {}) {
  return {
    tenantId: TENANT,
    subscriptions: [SUB],
    responders: [RESPONDER],
    protectedPrincipals: [BREAK_GLASS],
    assets: [
      {
        storageAccount: WEIGHTS,
        containers: ['model-weights'],
        kind: 'model-weights',
        prefixes: ['checkpoints/'],
      },
    ],
    evidence: { storageAccount: EVIDENCE, container: 'evidence' },
    knownIdentities: [DEPLOYER],
    responderNetwork: { virtualNetworkSubnetIds: [SUBNET], ipRanges: ['198.51.100.0/28'] },
    ...overrides,
  };
}

export function azureConfig(
  overrides: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
): Config {
  return parseConfig({ mode: 'enforce', minSeverity: 7, azure: azureSection(overrides), ...top });
}
