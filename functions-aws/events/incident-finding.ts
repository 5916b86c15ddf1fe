import * as z from 'zod/mini';
import { isIncidentId } from '../../core/incident-id.ts';
import { isAccountId } from '../../core/names.ts';
import { FINDING_DETAIL_TYPE, FINDING_SOURCE } from '../finding-handover.ts';
import { MAX_EVENTBRIDGE_BYTES } from './envelope.ts';
import { parseShape, reject, show, text } from './shape.ts';

/**
 * A `Tourniquet Incident Finding` event (functions-aws/finding-handover.ts) as the findings
 * function receives it: a pointer to an incident of this deployment, nothing more. The source
 * `tourniquet` is not reserved as `aws.*` sources are (PutEvents refuses only `aws.`), and EventBridge
 * stamps `account` with the sender's own, so a principal of the home account can post one: the
 * pointer is only a hint of which journal to read (functions-aws/sealed-finding.ts). Anything but
 * this account's version-2 pointer to a well-formed incident id is rejected; nothing is imported.
 */
export type IncidentFindingEvent =
  | { kind: 'pointer'; incidentId: string }
  | { kind: 'rejected'; reason: string };

const detailShape = z.strictObject({ version: z.literal(2), incidentId: text(160) });

/** Reads one delivery for the findings function of `homeAccount`; never throws. */
export function parseIncidentFindingEvent(raw: unknown, homeAccount: string): IncidentFindingEvent {
  try {
    return { kind: 'pointer', incidentId: read(raw, homeAccount) };
  } catch (error) {
    return { kind: 'rejected', reason: error instanceof Error ? error.message : String(error) };
  }
}

function read(raw: unknown, homeAccount: string): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    reject('not an EventBridge event: expected a JSON object');
  const e = raw as Record<string, unknown>;
  const bytes = Buffer.byteLength(JSON.stringify(raw));
  if (bytes > MAX_EVENTBRIDGE_BYTES)
    reject(`the event has ${bytes} bytes: EventBridge delivers at most 256 KB`);
  if (e.source !== FINDING_SOURCE || e['detail-type'] !== FINDING_DETAIL_TYPE)
    reject(
      `not a handed-over incident finding: source ${show(e.source)}, detail-type ${show(e['detail-type'])}`,
    );
  if (!isAccountId(homeAccount)) reject("this function's own account is unknown: nothing is accepted");
  if (e.account !== homeAccount)
    reject(`the event comes from account ${show(e.account)}, not this deployment's (${homeAccount})`);
  const { incidentId } = parseShape(detailShape, e.detail, 'detail');
  if (!isIncidentId(incidentId))
    reject(`detail.incidentId ${show(incidentId)} is not a Tourniquet incident id`);
  return incidentId;
}
