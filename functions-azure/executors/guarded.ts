import { ActionError } from '../../core/errors.ts';

/**
 * Defence in depth behind the decision: the executors themselves refuse to touch a responder or
 * protected (break-glass) principal, whatever plan they are handed.
 */
export interface Guarded {
  refuse(principalId: string): void;
}

export function guardedPrincipals(ids: readonly string[]): Guarded {
  const set = new Set(ids.map((id) => id.toLowerCase()));
  return {
    refuse(principalId) {
      if (set.has(principalId.toLowerCase())) {
        throw new ActionError(`refusing to revoke ${principalId}: it is a responder or protected principal`);
      }
    },
  };
}
