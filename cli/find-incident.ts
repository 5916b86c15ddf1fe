import { IncidentNotFoundError } from '../core/errors.ts';
import type { IncidentState } from '../core/journal.ts';
import type { JournalSource } from './journal-source.ts';

/** The source that holds an incident, and its journal state; not found anywhere is an error. */
export async function findIncident(
  sources: readonly JournalSource[],
  incidentId: string,
): Promise<{ source: JournalSource; state: IncidentState }> {
  for (const source of sources) {
    const state = await source.journal.load(incidentId);
    if (state) return { source, state };
  }
  throw new IncidentNotFoundError(
    `no journal for incident ${incidentId} in ${sources.map((s) => s.name).join(', ')}: check the id (tourniquet incidents list)`,
  );
}
