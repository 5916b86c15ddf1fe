import * as z from 'zod/mini';
import {
  COMPLIANCE_STATUSES,
  FINDING_RESOURCE_KINDS,
  FINDING_WORKFLOWS,
  type SecurityFinding,
} from '../../core/findings/finding.ts';
import { isIncidentId } from '../../core/incident-id.ts';
import { isAccountId } from '../../core/names.ts';
import { FINDING_DETAIL_TYPE, FINDING_SOURCE } from '../finding-handover.ts';
import { MAX_EVENTBRIDGE_BYTES } from './envelope.ts';
import { accountId, isoTime } from './fields.ts';
import { parseShape, reject, show, text } from './shape.ts';

/**
 * A `Tourniquet Incident Finding` event (functions-aws/finding-handover.ts) as the findings
 * function receives it. The source `tourniquet` is not reserved as `aws.*` sources are: anyone
 * allowed `events:PutEvents` on the bus can send one, so the event must come from this deployment's
 * own account, name nothing but an AWS incident finding of Tourniquet's, and be within EventBridge's
 * limits; anything else is rejected and nothing is imported.
 */
export type IncidentFindingEvent =
  | { kind: 'finding'; finding: SecurityFinding; first: boolean }
  | { kind: 'rejected'; reason: string };

const FINDING_ID = /^tourniquet\/incident\/(.+)$/;

// The finding is not cut to ASFF's limits before the handover (toAsff cuts, the OCSF line keeps it
// whole): texts are bounded by the event's 256 KB only, ids and times by their own forms.
const long = z.string().check(z.minLength(1));
const iso = z.string().check(z.maxLength(64));
const resource = z.strictObject({
  kind: z.enum(FINDING_RESOURCE_KINDS),
  id: long,
  name: z.optional(long),
  region: z.optional(text(64)),
});
const findingShape = z.strictObject({
  id: text(160),
  kind: z.literal('incident'),
  generator: long.check(z.startsWith('tourniquet/')),
  title: long,
  description: long,
  severity: z.number().check(z.gte(0), z.lte(10)),
  cloud: z.literal('aws'),
  account: z.string(),
  region: z.optional(text(64)),
  firstSeenAt: iso,
  lastSeenAt: iso,
  createdAt: iso,
  updatedAt: iso,
  resources: z.array(resource).check(z.minLength(1)),
  types: z.array(long).check(z.minLength(1)),
  compliance: z.optional(
    z.strictObject({ status: z.enum(COMPLIANCE_STATUSES), control: long, standard: long }),
  ),
  remediation: z.optional(z.strictObject({ text: long, url: z.optional(long) })),
  state: z.enum(['active', 'resolved']),
  workflow: z.optional(z.enum(FINDING_WORKFLOWS)),
  properties: z.record(long, z.string()),
});
const detailShape = z.strictObject({ version: z.literal(1), first: z.boolean(), finding: findingShape });

/** Reads one delivery for the findings function of `homeAccount`; never throws. */
export function parseIncidentFindingEvent(raw: unknown, homeAccount: string): IncidentFindingEvent {
  try {
    return { kind: 'finding', ...read(raw, homeAccount) };
  } catch (error) {
    return { kind: 'rejected', reason: error instanceof Error ? error.message : String(error) };
  }
}

function read(raw: unknown, homeAccount: string): { finding: SecurityFinding; first: boolean } {
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
  const { first, finding } = parseShape(detailShape, e.detail, 'detail');
  const incidentId = FINDING_ID.exec(finding.id)?.[1];
  if (!incidentId || !isIncidentId(incidentId))
    reject(`detail.finding.id ${show(finding.id)} is not a Tourniquet incident finding id`);
  accountId(finding.account, 'detail.finding.account');
  for (const field of ['firstSeenAt', 'lastSeenAt', 'createdAt', 'updatedAt'] as const)
    isoTime(finding[field], `detail.finding.${field}`);
  return { first, finding: finding as SecurityFinding };
}
