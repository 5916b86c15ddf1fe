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

/** What the detail may weigh: EventBridge takes 256 KB per entry, the envelope and headroom aside. */
export const MAX_HANDOVER_BYTES = 240 * 1024;

/**
 * The finding, whole when it fits; otherwise cut to what Security Hub keeps anyway (ASFF: 32
 * resources, 50 product fields of 2,048 characters, a 1,024-character description), so an incident
 * of very many actions is still imported, with its OCSF line cut the same way.
 */
export function fitted(finding: SecurityFinding): SecurityFinding {
  if (Buffer.byteLength(JSON.stringify(finding)) <= MAX_HANDOVER_BYTES) return finding;
  const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
  return {
    ...finding,
    description: cut(finding.description, 1024),
    resources: finding.resources.slice(0, 32),
    properties: Object.fromEntries(
      Object.entries(finding.properties)
        .slice(0, 49)
        .map(([k, v]) => [cut(k, 128), cut(v, 2048)]),
    ),
  };
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
    const detail: FindingHandover = { version: 1, first, finding: fitted(finding) };
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
