import { ActionError } from '../../core/errors.ts';

/**
 * Defence in depth behind the decision: the executors themselves refuse to touch a responder or
 * protected (break-glass) principal, whatever plan they are handed.
 */
export interface Guarded {
  refuse(principalId: string): void;
  /** Is this a responder or protected principal (to skip it rather than fail)? */
  has(principalId: string): boolean;
}

export function guardedPrincipals(ids: readonly string[]): Guarded {
  const set = new Set(ids.map((id) => id.toLowerCase()));
  return {
    has: (principalId) => set.has(principalId.toLowerCase()),
    refuse(principalId) {
      if (set.has(principalId.toLowerCase())) {
        throw new ActionError(`refusing to revoke ${principalId}: it is a responder or protected principal`);
      }
    },
  };
}
