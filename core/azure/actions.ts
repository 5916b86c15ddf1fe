import type { ActionBase } from '../actions.ts';

/**
 * Azure action kinds. The Azure planner (core/azure/planner.ts) builds them; the executors in
 * functions-azure/executors perform them.
 */
export type RemoveRoleAssignments = ActionBase<
  'remove-role-assignments',
  { principalId: string; scopes: string[] }
>;

export type AzureAction = RemoveRoleAssignments;
