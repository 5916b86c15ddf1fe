import type { RoleAssignment } from '@azure/arm-authorization';
import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { RemoveRoleAssignments } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';
import type { Guarded } from './guarded.ts';

/** One role assignment as recorded before removal: everything needed to recreate it. */
export interface AssignmentRecord {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  condition?: string;
  conditionVersion?: string;
  description?: string;
  delegatedManagedIdentityResourceId?: string;
}

export const RESIDUAL_RBAC =
  'access tokens already issued stay valid until they expire (about an hour); role removal takes effect ' +
  'after RBAC propagation (up to ~10 minutes); account keys and SAS the principal obtained are untouched by this step';

/**
 * Removes a principal's direct role assignments. `principalId eq` lists only assignments made to
 * the principal itself, never to its groups (deleting those would cut off every other member).
 * Assignments inherited from above the configured subscriptions (management groups) are recorded
 * but left alone: they are reported for humans.
 */
export function removeRoleAssignments(
  clients: AzureClients,
  guarded: Guarded,
): Executor<RemoveRoleAssignments, { assignments: AssignmentRecord[] }> {
  return {
    permissions: [
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleAssignments/delete',
      'Microsoft.Authorization/roleAssignments/write',
    ],

    async read(action) {
      const { principalId, subscriptions, scopes } = action.params;
      const filter = `principalId eq '${principalId}'`;
      const found: RoleAssignment[] = [];
      for (const sub of subscriptions) {
        const iterator = clients.authorization(sub).roleAssignments.listForSubscription({ filter });
        found.push(...(await azureCall(() => collect(iterator))));
      }
      for (const scope of scopes) {
        const iterator = clients
          .authorization(subscriptionOf(scope))
          .roleAssignments.listForScope(armScope(scope), { filter });
        found.push(...(await azureCall(() => collect(iterator))));
      }
      const byId = new Map<string, AssignmentRecord>();
      for (const a of found) {
        const record = toRecord(a);
        if (record && record.principalId.toLowerCase() === principalId.toLowerCase())
          byId.set(record.id.toLowerCase(), record);
      }
      return { assignments: [...byId.values()].sort((x, y) => x.id.localeCompare(y.id)) };
    },

    async apply(action, before): Promise<Applied> {
      guarded.refuse(action.params.principalId);
      const removable = before.assignments.filter((a) => inReach(a, action.params));
      const results = await Promise.all(
        removable.map(async (a) => {
          const out = await azureCall(
            () =>
              clients
                .authorization(subscriptionOf(a.scope))
                .roleAssignments.delete(armScope(a.scope), a.name),
            {
              '404': () => 'gone' as const,
            },
          );
          // ARM answers a delete of a missing assignment with 204 and no body.
          return out === 'gone' || out === undefined ? 'gone' : 'removed';
        }),
      );
      const removed = removable.filter((_, i) => results[i] === 'removed').map((a) => a.id);
      const alreadyGone = removable.filter((_, i) => results[i] === 'gone').map((a) => a.id);
      const outOfReach = before.assignments
        .filter((a) => !inReach(a, action.params))
        .map((a) => ({ id: a.id, scope: a.scope }));
      return {
        outcome: removed.length ? 'applied' : 'already-applied',
        details: { removed, alreadyGone, outOfReach, residual: RESIDUAL_RBAC },
      };
    },

    async undo(action, before): Promise<Applied> {
      const removable = before.assignments.filter((a) => inReach(a, action.params));
      return recreateAssignments(clients, removable);
    },
  };
}

/**
 * Release of removed assignments: each recreated exactly as recorded, under its own name
 * (`RoleAssignmentExists`: already back). Shared by both assignment-removing executors.
 * The principal's assignments are listed first and only the missing ones written, each attempted
 * even when another fails: a release retried under throttling makes progress instead of writing
 * every assignment again (ARM's write quota is per subscription and per hour).
 */
export async function recreateAssignments(
  clients: AzureClients,
  assignments: readonly AssignmentRecord[],
): Promise<Applied> {
  const present = await presentIds(clients, assignments);
  const missing = assignments.filter((a) => !present.has(a.id.toLowerCase()));
  const settled = await Promise.allSettled(
    missing.map((a) =>
      azureCall(
        () =>
          clients.authorization(subscriptionOf(a.scope)).roleAssignments.create(armScope(a.scope), a.name, {
            roleDefinitionId: a.roleDefinitionId,
            principalId: a.principalId,
            ...(a.principalType ? { principalType: a.principalType } : {}),
            ...(a.condition ? { condition: a.condition, conditionVersion: a.conditionVersion ?? '2.0' } : {}),
            ...(a.description ? { description: a.description } : {}),
            ...(a.delegatedManagedIdentityResourceId
              ? { delegatedManagedIdentityResourceId: a.delegatedManagedIdentityResourceId }
              : {}),
          }),
        { RoleAssignmentExists: () => 'exists' as const },
      ),
    ),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const recreated = missing
    .filter((_, i) => (settled[i] as PromiseFulfilledResult<unknown>).value !== 'exists')
    .map((a) => a.id);
  return { outcome: recreated.length ? 'applied' : 'already-applied', details: { recreated } };
}

/** The ids (lower case) of the assignments the principals hold now, in the records' subscriptions. */
async function presentIds(
  clients: AzureClients,
  assignments: readonly AssignmentRecord[],
): Promise<Set<string>> {
  const pairs = new Map(
    assignments.map((a) => {
      const sub = subscriptionOf(a.scope);
      return [`${sub}|${a.principalId}`, { sub, principalId: a.principalId }];
    }),
  );
  const ids = new Set<string>();
  for (const { sub, principalId } of pairs.values()) {
    const iterator = clients
      .authorization(sub)
      .roleAssignments.listForSubscription({ filter: `principalId eq '${principalId}'` });
    for (const a of await azureCall(() => collect(iterator))) if (a.id) ids.add(a.id.toLowerCase());
  }
  return ids;
}

export async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

export function toRecord(a: RoleAssignment): AssignmentRecord | undefined {
  if (!a.id || !a.name || !a.scope || !a.roleDefinitionId || !a.principalId) return undefined;
  return {
    id: a.id,
    name: a.name,
    scope: a.scope,
    roleDefinitionId: a.roleDefinitionId,
    principalId: a.principalId,
    ...(a.principalType ? { principalType: a.principalType } : {}),
    ...(a.condition ? { condition: a.condition, conditionVersion: a.conditionVersion ?? '2.0' } : {}),
    ...(a.description ? { description: a.description } : {}),
    ...(a.delegatedManagedIdentityResourceId
      ? { delegatedManagedIdentityResourceId: a.delegatedManagedIdentityResourceId }
      : {}),
  };
}

/** Is the assignment one the action may change: named by it (if it names any), in its subscriptions or scopes? */
function inReach(a: { id: string; scope: string }, params: RemoveRoleAssignments['params']): boolean {
  if (params.assignmentIds && !params.assignmentIds.some((id) => id.toLowerCase() === a.id.toLowerCase()))
    return false;
  const s = a.scope.toLowerCase();
  return (
    params.subscriptions.some(
      (sub) => s === `/subscriptions/${sub}` || s.startsWith(`/subscriptions/${sub}/`),
    ) || params.scopes.some((x) => s === x.toLowerCase() || s.startsWith(`${x.toLowerCase()}/`))
  );
}

/** The SDK puts `{scope}` after a `/` of its own: a leading `/` would make `//subscriptions` (a 404). */
export function armScope(scope: string): string {
  return scope.replace(/^\/+/, '');
}

export function subscriptionOf(scope: string): string {
  const m = /^\/subscriptions\/([0-9a-f-]{36})(\/|$)/i.exec(scope);
  if (!m?.[1]) throw new ActionError(`role assignment scope ${scope} is not in a subscription`);
  return m[1].toLowerCase();
}
