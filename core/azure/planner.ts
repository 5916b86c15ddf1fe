import type { CloudPlanner } from '../planner.ts';

/**
 * Azure planner. Until the Azure executors exist it plans escalation only, so no Azure alert can
 * change anything.
 */
export const azurePlanner: CloudPlanner = {
  cloud: 'azure',
  inScope: (alert, config) =>
    !!config.azure?.subscriptions.some((s) => s.toLowerCase() === alert.account.toLowerCase()),
  responders: (config) => config.azure?.responders ?? [],
  protectedPrincipals: (config) => config.azure?.protectedPrincipals ?? [],
  revocableKinds: ['service-principal', 'managed-identity', 'entra-user'],
  plan: () => [],
};
