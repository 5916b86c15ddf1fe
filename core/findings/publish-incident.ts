import { describeError } from '../errors.ts';
import type { IncidentJournal, Phase } from '../journal.ts';
import type { FindingWorkflow, SecurityFinding } from './finding.ts';
import { incidentFinding } from './incident.ts';

/** What publishing an incident's finding did: the finding's id and workflow, or why it failed. */
export type FindingOutcome = { published: string; workflow: FindingWorkflow } | { error: string };

/**
 * Where a cloud sends incident findings (Security Hub; an Event Grid topic). `first` is true for
 * the finding's first publication (OCSF activity Create), false for its updates.
 */
export type IncidentFindingSink = (finding: SecurityFinding, first: boolean) => Promise<void>;

/**
 * The findings side of `respond` and `release`: after each phase is sealed, the incident's finding
 * is built from the journal (incident.ts) and handed to the cloud's sink, so SOC tools see it move
 * from new to notified to resolved. Never throws: a sink that fails is an outcome for the logs, and
 * containment is never held up by it.
 *
 * @example
 * const deps = { ...deps, publishFinding: incidentFindingPublisher(journal, securityHubSink) };
 */
export function incidentFindingPublisher(
  journal: Pick<IncidentJournal, 'load'>,
  sink: IncidentFindingSink,
  now: () => Date = () => new Date(),
) {
  return async (incidentId: string, phase: Phase): Promise<FindingOutcome> => {
    try {
      const state = await journal.load(incidentId);
      if (!state) return { error: `incident ${incidentId} has no journal to publish from` };
      const finding = incidentFinding(state, phase, now());
      // The seal of this phase is written already: one seal means the first publication.
      await sink(finding, phase === 'contain' && state.seals.length <= 1);
      return { published: finding.id, workflow: finding.workflow ?? 'new' };
    } catch (error) {
      return { error: `the incident's finding was not published: ${describeError(error)}` };
    }
  };
}
