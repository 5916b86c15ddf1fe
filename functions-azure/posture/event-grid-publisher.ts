import type { SecurityFinding } from '../../core/findings/finding.ts';
import { toOcsf } from '../../core/findings/ocsf.ts';

/** The Event Grid data plane permission the posture function needs on its topic. */
export const EVENT_GRID_PUBLISH_PERMISSIONS = ['data:Microsoft.EventGrid/events/send/action'] as const;

/** Event Grid takes at most 1 MB per publish request (and per event): batches stay under it. */
const MAX_BATCH_BYTES = 900_000;

export const POSTURE_EVENT_TYPES = {
  failed: 'Tourniquet.Posture.CheckFailed',
  resolved: 'Tourniquet.Posture.CheckResolved',
} as const;

/** Incidents as they move: contained (new), humans told (notified), released (resolved). */
export const INCIDENT_EVENT_TYPES = {
  new: 'Tourniquet.Incident.Contained',
  notified: 'Tourniquet.Incident.Notified',
  resolved: 'Tourniquet.Incident.Released',
} as const;

function eventTypeOf(f: SecurityFinding): string {
  if (f.kind === 'incident') return INCIDENT_EVENT_TYPES[f.workflow ?? 'new'];
  return f.state === 'resolved' ? POSTURE_EVENT_TYPES.resolved : POSTURE_EVENT_TYPES.failed;
}

function subjectOf(f: SecurityFinding): string {
  const path =
    f.kind === 'incident'
      ? `/${f.id}`
      : `/tourniquet/posture/${f.compliance?.control ?? f.generator}/${f.resources[0]?.id ?? f.account}`;
  return path.slice(0, 1024);
}

/**
 * Publishes findings to an Event Grid custom topic (Event Grid schema), authenticated with Entra ID
 * (`https://eventgrid.azure.net/.default`; the identity needs EventGrid Data Sender on the topic).
 * Each event's data is the finding and its OCSF 1.1 form, Log Analytics-friendly as it is. A batch
 * Event Grid refuses is reported, never thrown.
 */
export function eventGridPublisher(options: {
  topicEndpoint: string;
  token: () => Promise<string>;
  productVersion: string;
  fetch?: typeof fetch;
}) {
  const send = options.fetch ?? fetch;
  return async (
    findings: SecurityFinding[],
    publication: { first?: boolean } = {},
  ): Promise<{ published: number; failed: string[] }> => {
    const events = findings.map((f) => ({
      id: `${f.id}@${f.updatedAt}`,
      eventType: eventTypeOf(f),
      subject: subjectOf(f),
      eventTime: f.updatedAt,
      dataVersion: '1.0',
      data: {
        finding: f,
        ocsf: toOcsf(f, {
          activity: f.state === 'resolved' ? 'Close' : publication.first ? 'Create' : 'Update',
          productVersion: options.productVersion,
          now: new Date(f.updatedAt),
        }),
      },
    }));
    const batches: (typeof events)[] = [];
    let size = 0;
    for (const e of events) {
      const bytes = Buffer.byteLength(JSON.stringify(e));
      if (!batches.length || size + bytes > MAX_BATCH_BYTES) {
        batches.push([]);
        size = 0;
      }
      batches[batches.length - 1]?.push(e);
      size += bytes;
    }
    let published = 0;
    const failed: string[] = [];
    for (const batch of batches) {
      try {
        const response = await send(options.topicEndpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${await options.token()}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        if (response.ok) published += batch.length;
        else {
          const text = (await response.text()).slice(0, 300);
          for (const e of batch) failed.push(`${e.id}: HTTP ${response.status} ${text}`);
        }
      } catch (error) {
        for (const e of batch) failed.push(`${e.id}: ${(error as Error).message}`);
      }
    }
    return { published, failed };
  };
}
