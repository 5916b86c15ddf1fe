import type { IncidentFindingSink } from '../core/findings/publish-incident.ts';
import { EVENT_GRID_PUBLISH_PERMISSIONS, type eventGridPublisher } from './posture/event-grid-publisher.ts';

/** Publishing an incident's finding to the findings topic (EventGrid Data Sender on it). */
export const INCIDENT_FINDING_PERMISSIONS = EVENT_GRID_PUBLISH_PERMISSIONS;

/**
 * An Event Grid custom topic as the sink of incident findings, for Sentinel and Log Analytics: one
 * event per publication, `Tourniquet.Incident.Contained | Notified | Released`, its data the
 * finding and its OCSF Detection Finding (class 2004) — the publisher the posture timer uses.
 * Tourniquet's own event parsers ignore these types, so a subscription looping back does nothing.
 */
export function eventGridIncidentSink(publish: ReturnType<typeof eventGridPublisher>): IncidentFindingSink {
  return async (finding, first) => {
    const { failed } = await publish([finding], { first });
    if (failed.length) throw new Error(`Event Grid refused the finding: ${failed.join('; ')}`);
  };
}
