import type { Executor } from '../../core/executor.ts';
import type { DenyStandingAccess } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { inlinePolicyExecutor, type PolicyBefore } from './inline-policy.ts';

/** The standing-access Deny of a posture fix: the principal's own policies are never touched. */
export function denyStandingAccess(clients: ClientsFor): Executor<DenyStandingAccess, PolicyBefore> {
  return inlinePolicyExecutor<DenyStandingAccess>(clients);
}
