import type { Executor } from '../../core/executor.ts';
import type { GrantAccess } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { inlinePolicyExecutor, type PolicyBefore } from './inline-policy.ts';

/** A just-in-time grant's inline policy (or its window in the standing Deny); undo puts back what was there. */
export function grantAccess(clients: ClientsFor): Executor<GrantAccess, PolicyBefore> {
  return inlinePolicyExecutor<GrantAccess>(clients);
}
