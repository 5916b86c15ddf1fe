import type { Alert, ResourceRef } from './alert.ts';
import { incidentIdFor } from './incident-id.ts';
import type { IncidentJournal } from './journal.ts';

/** A target an earlier update of the same finding already took, and which incident took it. */
export interface HandledTarget {
  target: string;
  incidentId: string;
}

/** What is left of a growing finding's update once the earlier updates' targets are taken out. */
export interface SeriesNarrowing {
  alert: Alert;
  handled: HandledTarget[];
}

/** Resource kinds an incident acts on as a whole; objects and blobs go with their bucket or container. */
const CONTAINED_KINDS: readonly ResourceRef['kind'][] = [
  'bucket',
  'access-key',
  'storage-account',
  'container',
  'model',
  'ai-account',
];

/**
 * A finding that grows under one id (`alert.series`: GuardDuty attack sequences) is one incident
 * per update, so an update that adds an actor or a bucket gets that contained at once. What an
 * earlier update already acted on must not be acted on again (a second deny, a second quarantine
 * statement, released separately): each actor and resource of the series is claimed once, write-
 * once in the journal (`incidents/<series>/journal/series/…`), by the first incident that plans it.
 * A redelivery of the same update finds its own claims; a concurrent update loses the race for a
 * target cleanly. Objects and blobs follow their bucket or container.
 *
 * @example
 * const { alert: rest, handled } = await narrowSeries(alert, deps.journal, decision.incidentId);
 */
export async function narrowSeries(
  alert: Alert,
  journal: Pick<IncidentJournal, 'claimSeriesTarget'>,
  incidentId: string,
): Promise<SeriesNarrowing> {
  if (!alert.series) return { alert, handled: [] };
  const seriesId = incidentIdFor({ dedupeKey: alert.series.key });
  const actors = [alert.principal, ...(alert.actors ?? [])].filter((p) => !!p);
  const targets = [
    ...actors.map((p) => p.id),
    ...alert.resources.filter((r) => CONTAINED_KINDS.includes(r.kind)).map((r) => r.id),
  ];
  const holders = new Map(
    await Promise.all(
      [...new Set(targets)].map(
        async (t) => [t, await journal.claimSeriesTarget(seriesId, t, incidentId)] as const,
      ),
    ),
  );
  const ours = (id: string) => holders.get(id) === incidentId;
  const kept = actors.filter((p) => ours(p.id));
  const resources = alert.resources.filter((r) =>
    CONTAINED_KINDS.includes(r.kind) ? ours(r.id) : r.parent === undefined || ours(r.parent),
  );
  const [principal = null, ...rest] = kept;
  const handled = [...holders]
    .filter(([, holder]) => holder !== incidentId)
    .map(([target, holder]) => ({ target, incidentId: holder }));
  const narrowed: Alert = { ...alert, principal, resources };
  if (rest.length) narrowed.actors = rest;
  else delete narrowed.actors;
  return { alert: narrowed, handled };
}

/** True when the update names nothing the earlier updates did not already take. */
export function nothingNew(n: SeriesNarrowing): boolean {
  return !n.alert.principal && !n.alert.actors?.length && n.alert.resources.length === 0;
}
