import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { IncidentFindingSink } from '../core/findings/publish-incident.ts';

/** The EventBridge source and detail-type of a handed-over incident finding (docs/ai-sources.md). */
export const FINDING_SOURCE = 'tourniquet';
export const FINDING_DETAIL_TYPE = 'Tourniquet Incident Finding';

/** Put the pointer on the account's default bus, where the findings function's rule takes it. */
export const FINDING_HANDOVER_PERMISSIONS = ['events:PutEvents'] as const;

/**
 * The `detail` of a `Tourniquet Incident Finding` event: a pointer, never the finding. The source
 * `tourniquet` is not reserved (only `aws.` is), so anyone allowed `events:PutEvents` on the bus can
 * post this event; the findings function therefore rebuilds the finding from the incident's sealed
 * journal in this deployment's evidence bucket and publishes only that (functions-aws/sealed-finding.ts).
 */
export interface FindingHandover {
  version: 2;
  incidentId: string;
}

/**
 * The event-path side of incident findings: instead of calling Security Hub (whose SDK, with the
 * schemas of every operation, would double the Lambda bundles), the contain, manual and scan
 * functions put one `Tourniquet Incident Finding` event naming the incident on the home account's
 * default bus; the `findings` function (handlers/findings.ts) rebuilds the finding from the journal
 * and imports it. A refused entry is thrown, so the publisher reports the finding as not published.
 */
export function eventBridgeFindingHandover(eventBridge: EventBridgeClient): IncidentFindingSink {
  return async (finding) => {
    const incidentId = finding.properties['tourniquet/incident'];
    if (!incidentId) throw new Error(`the finding ${finding.id} names no incident to hand over`);
    const detail: FindingHandover = { version: 2, incidentId };
    const out = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'default',
            Source: FINDING_SOURCE,
            DetailType: FINDING_DETAIL_TYPE,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    if ((out.FailedEntryCount ?? 0) > 0 || !out.Entries?.[0]?.EventId) {
      const entry = out.Entries?.[0];
      throw new Error(
        `EventBridge refused the finding ${finding.id}: ${entry?.ErrorCode ?? 'no event id'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  };
}
