import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SecurityFinding } from '../core/findings/finding.ts';
import type { IncidentFindingSink } from '../core/findings/publish-incident.ts';

/** The EventBridge source and detail-type of a handed-over incident finding (docs/aws.md). */
export const FINDING_SOURCE = 'tourniquet';
export const FINDING_DETAIL_TYPE = 'Tourniquet Incident Finding';

/** Put the finding on the account's default bus, where the findings function's rule takes it. */
export const FINDING_HANDOVER_PERMISSIONS = ['events:PutEvents'] as const;

/** The `detail` of a `Tourniquet Incident Finding` event: what the sink would have been called with. */
export interface FindingHandover {
  version: 1;
  /** The finding's first publication (OCSF activity Create). */
  first: boolean;
  finding: SecurityFinding;
}

/**
 * The event-path side of incident findings: instead of calling Security Hub (whose SDK, with the
 * schemas of every operation, would double the Lambda bundles), the contain, manual and scan
 * functions put one `Tourniquet Incident Finding` event on the home account's default bus; the
 * `findings` function (handlers/findings.ts) imports it with `securityHubIncidentSink`. A refused
 * entry is thrown, so the publisher reports the finding as not published, as a Security Hub error was.
 */
export function eventBridgeFindingHandover(eventBridge: EventBridgeClient): IncidentFindingSink {
  return async (finding, first) => {
    const detail: FindingHandover = { version: 1, first, finding };
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
