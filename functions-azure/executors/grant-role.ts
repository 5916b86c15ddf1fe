import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { GrantRole } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall, codeOf } from '../errors.ts';

/** Whether our fallback assignment already existed before the grant (a retry finds its own). */
export interface GrantBefore {
  assignmentExisted: boolean;
}

/** PIM answers a tenant without the licence for it (Entra ID P2 / Governance) with these. */
const PIM_UNAVAILABLE = /licen[cs]e|premium|\bP2\b|governance|not (enabled|supported|onboarded)/i;
const pimUnavailable = (error: unknown) =>
  PIM_UNAVAILABLE.test(`${codeOf(error) ?? ''} ${(error as Error).message ?? ''}`);

const armScope = (scope: string) => scope.replace(/^\/+/, '');
const subscriptionOf = (scope: string) => {
  const m = /^\/subscriptions\/([0-9a-f-]{36})\//i.exec(scope);
  if (!m?.[1]) throw new ActionError(`grant scope ${scope} is not in a subscription`);
  return m[1].toLowerCase();
};

export const GRANT_ROLE_PERMISSIONS = [
  'Microsoft.Authorization/roleAssignmentScheduleRequests/write',
  'Microsoft.Authorization/roleAssignments/read',
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Authorization/roleAssignments/delete',
] as const;

/**
 * A just-in-time data role: PIM `roleAssignmentScheduleRequests` (AdminAssign, ending at expiry)
 * first; where the tenant has no PIM, a role assignment with an ABAC condition that stops it at
 * expiry, removed later by the grant timer. Undo removes the assignment and asks PIM to remove its
 * own (AdminRemove); either may already be gone.
 */
export function grantRole(clients: AzureClients): Executor<GrantRole, GrantBefore> {
  const auth = (a: GrantRole) => clients.authorization(subscriptionOf(a.params.scope));
  return {
    permissions: GRANT_ROLE_PERMISSIONS,

    async read(action) {
      const p = action.params;
      const found = await azureCall(
        () => auth(action).roleAssignments.get(armScope(p.scope), p.assignmentName),
        {
          '404': () => undefined,
        },
      );
      return { assignmentExisted: !!found };
    },

    async apply(action, before): Promise<Applied> {
      const p = action.params;
      const details = { principalId: p.principalId, scope: p.scope, expiresAt: p.expiresAt };
      if (before.assignmentExisted)
        return { outcome: 'already-applied', details: { ...details, via: 'assignment' } };
      const pim = await azureCall(
        async () => {
          await auth(action).roleAssignmentScheduleRequests.create(armScope(p.scope), p.requestName, {
            principalId: p.principalId,
            roleDefinitionId: p.roleDefinitionId,
            requestType: 'AdminAssign',
            justification: p.justification,
            scheduleInfo: {
              startDateTime: new Date(p.startsAt),
              expiration: { type: 'AfterDateTime', endDateTime: new Date(p.expiresAt) },
            },
          });
          return 'pim' as const;
        },
        {
          RoleAssignmentExists: () => 'exists' as const,
          '400': (e) => (pimUnavailable(e) ? ('no-pim' as const) : fail(e)),
          '403': (e) => (pimUnavailable(e) ? ('no-pim' as const) : fail(e)),
        },
      );
      if (pim === 'pim')
        return { outcome: 'applied', details: { ...details, via: 'pim', request: p.requestName } };
      if (pim === 'exists')
        return {
          outcome: 'already-applied',
          details: { ...details, note: 'the principal already holds this role here' },
        };
      const made = await azureCall(
        async () => {
          await auth(action).roleAssignments.create(armScope(p.scope), p.assignmentName, {
            roleDefinitionId: p.roleDefinitionId,
            principalId: p.principalId,
            principalType: p.principalType,
            condition: p.condition,
            conditionVersion: '2.0',
            description: p.justification.slice(0, 1000),
          });
          return true;
        },
        { RoleAssignmentExists: () => false },
      );
      return {
        outcome: made ? 'applied' : 'already-applied',
        details: {
          ...details,
          via: 'assignment',
          assignment: p.assignmentName,
          note: 'no PIM in this tenant: the condition ends it at expiry and the grant timer removes it',
        },
      };
    },

    async undo(action): Promise<Applied> {
      const p = action.params;
      const deleted = await azureCall(
        // ARM answers 200 with the assignment when it deleted one, 204 and no body when there was none.
        async () => !!(await auth(action).roleAssignments.delete(armScope(p.scope), p.assignmentName))?.id,
        { '404': () => false },
      );
      const pim = await azureCall(
        async () => {
          await auth(action).roleAssignmentScheduleRequests.create(armScope(p.scope), p.removeRequestName, {
            principalId: p.principalId,
            roleDefinitionId: p.roleDefinitionId,
            requestType: 'AdminRemove',
            justification: `tourniquet: grant ${action.id} ended`,
          });
          return true;
        },
        {
          RoleAssignmentDoesNotExist: () => false,
          RoleAssignmentRequestExists: () => false,
          '400': (e) =>
            pimUnavailable(e) || /does not exist|not found/i.test((e as Error).message ?? '')
              ? false
              : fail(e),
          '403': (e) => (pimUnavailable(e) ? false : fail(e)),
          '404': () => false,
        },
      );
      return deleted || pim
        ? { outcome: 'applied', details: { removedAssignment: deleted, removedByPim: pim } }
        : {
            outcome: 'already-applied',
            details: { note: 'the grant was already gone (expired or removed)' },
          };
    },
  };
}

function fail(error: unknown): never {
  throw error;
}
