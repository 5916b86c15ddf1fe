import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { DisableServicePrincipal } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import type { ServicePrincipalState } from '../graph-client.ts';
import type { Guarded } from './guarded.ts';

/**
 * Disables a service principal in Entra ID (`accountEnabled=false`) so it gets no new tokens.
 * Tokens already issued keep working until they expire. Managed identities cannot be disabled;
 * their role assignments are what the revoke step removes.
 */
export function disableServicePrincipal(
  clients: AzureClients,
  guarded: Guarded,
): Executor<DisableServicePrincipal, { servicePrincipal: ServicePrincipalState | null }> {
  return {
    permissions: ['graph:Application.ReadWrite.All'],

    async read(action) {
      return { servicePrincipal: (await clients.graph.getServicePrincipal(action.params.objectId)) ?? null };
    },

    async apply(action, before): Promise<Applied> {
      guarded.refuse(action.params.objectId);
      const sp = before.servicePrincipal;
      if (!sp)
        throw new ActionError(
          `no service principal ${action.params.objectId} in the tenant (deleted, or not a service principal)`,
        );
      if (sp.servicePrincipalType === 'ManagedIdentity') {
        throw new ActionError(
          `${sp.id} is a managed identity: it cannot be disabled; remove its role assignments instead`,
        );
      }
      const residual = 'tokens already issued stay valid until they expire (about an hour)';
      if (!sp.accountEnabled) return { outcome: 'already-applied', details: { residual } };
      await clients.graph.setAccountEnabled(sp.id, false);
      return { outcome: 'applied', details: { appId: sp.appId, displayName: sp.displayName, residual } };
    },

    async undo(_action, before): Promise<Applied> {
      const sp = before.servicePrincipal;
      if (!sp?.accountEnabled)
        return { outcome: 'already-applied', details: { reason: 'it was disabled before the incident' } };
      await clients.graph.setAccountEnabled(sp.id, true);
      return { outcome: 'applied' };
    },
  };
}
