import type { CloudPack } from '../../core/cloud-pack.ts';
import { AZURE_ACTION_KINDS } from './actions.ts';
import { entraCaller } from './formats/azure-ids.ts';
import { azureFormats } from './formats/index.ts';
import { checkAzurePlanned } from './plan-checks.ts';
import { planAzure } from './planner.ts';
import { azurePlaybooks } from './playbooks.ts';

/**
 * Everything Azure contributes to the engine (core/cloud-pack.ts). A principal is an Entra object
 * id; its tenant (or a subscription in scope) is its account. Alerts from a configured
 * subscription or the configured tenant are in scope.
 */
export const azurePack: CloudPack = {
  cloud: 'azure',
  inScope: (alert, config) => {
    const azure = config.azure;
    const account = alert.account.toLowerCase();
    return (
      !!azure &&
      (azure.subscriptions.some((s) => s.toLowerCase() === account) ||
        azure.tenantId.toLowerCase() === account)
    );
  },
  responders: (config) => config.azure?.responders ?? [],
  protectedPrincipals: (config) => config.azure?.protectedPrincipals ?? [],
  revocableKinds: ['service-principal', 'managed-identity', 'entra-user'],
  plan: planAzure,
  playbooks: azurePlaybooks,
  actionKinds: AZURE_ACTION_KINDS,
  checkPlanned: checkAzurePlanned,
  formats: azureFormats,
  callerPrincipal: entraCaller,
};
