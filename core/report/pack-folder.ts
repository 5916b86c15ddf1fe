import type { Config } from '../config.ts';
import { describeError } from '../errors.ts';
import type { IncidentJournal, Phase, WriteOnceStore } from '../journal.ts';
import type { PackOutcome } from '../respond.ts';

/** Where an incident's packs are kept in its evidence store; escalations name it. */
export const packFolder = (incidentId: string) => `incidents/${incidentId}/pack/`;

/**
 * The deployed functions' pack writer (core/report/publish.ts), loaded on the first pack only: a
 * cold start, which is on the way to cutting an attacker off, never evaluates the report code.
 */
export function lazyPackPublisher(
  store: WriteOnceStore,
  journal: IncidentJournal,
  config: Config,
  where: (key: string) => string,
  now?: () => Date,
): (incidentId: string, phase: Phase) => Promise<PackOutcome> {
  return async (incidentId, phase) => {
    try {
      const { packPublisher } = await import('./publish.ts');
      return await packPublisher(store, journal, config, where, now)(incidentId, phase);
    } catch (error) {
      return { error: describeError(error) };
    }
  };
}
