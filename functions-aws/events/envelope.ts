import * as z from 'zod/mini';
import { accountId, assertPartition, isoTime, printable, region } from './fields.ts';
import { parseShape, reject, show, text } from './shape.ts';

/** EventBridge delivers at most 256 KB per event (EventBridge quotas): anything larger is not from it. */
export const MAX_EVENTBRIDGE_BYTES = 256 * 1024;

/** The detail-types Tourniquet handles and the only `source` each may come from. */
export const DETAIL_TYPES = {
  'GuardDuty Finding': ['aws.guardduty'],
  'Security Hub Findings - Imported': ['aws.securityhub'],
  'Findings Imported V2': ['aws.securityhub'],
  'AWS API Call via CloudTrail': ['aws.s3', 'aws.iam', 'aws.bedrock'],
  'Macie Finding': ['aws.macie'],
} as const satisfies Record<string, readonly string[]>;
export type DetailType = keyof typeof DETAIL_TYPES;

/** The EventBridge envelope ("Amazon EventBridge events" in the EventBridge User Guide). */
const envelopeShape = z.looseObject({
  version: z.optional(z.string()),
  id: text(128),
  'detail-type': text(128),
  source: text(256),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.optional(z.array(z.string().check(z.maxLength(2048)))),
  detail: z.record(z.string(), z.unknown()),
});

export interface Envelope {
  id: string;
  detailType: DetailType;
  source: string;
  account: string;
  region: string;
  time: string;
  detail: Record<string, unknown>;
}

export type EnvelopeResult = { kind: 'event'; envelope: Envelope } | { kind: 'ignored'; reason: string };

/**
 * Reads the raw delivery (an object from EventBridge, or text from the CLI), checks its size and the
 * envelope, and pairs `detail-type` with `source`. EventBridge only lets AWS services publish
 * `aws.*` sources, so a known detail-type from any other source is a forgery and is rejected.
 */
export function readEnvelope(raw: unknown): EnvelopeResult {
  const value = decode(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    reject('not an EventBridge event: expected a JSON object with "source", "detail-type" and "detail"');
  }
  const e = parseShape(envelopeShape, value, 'event');
  for (const arn of e.resources ?? []) assertPartition(arn, 'event.resources');
  const envelope = {
    id: e.id,
    source: e.source,
    account: accountId(e.account, 'event.account'),
    region: region(e.region, 'event.region'),
    time: isoTime(e.time, 'event.time'),
    detail: e.detail,
  };
  const detailType = e['detail-type'];
  const sources: readonly string[] | undefined = DETAIL_TYPES[detailType as DetailType];
  if (!sources)
    return { kind: 'ignored', reason: `detail-type ${show(detailType)} is not one Tourniquet handles` };
  if (sources.includes(e.source)) {
    return { kind: 'event', envelope: { ...envelope, detailType: detailType as DetailType } };
  }
  // Other AWS services publish CloudTrail events too (aws.ec2, …): genuine, just not ours.
  if (detailType === 'AWS API Call via CloudTrail' && e.source.startsWith('aws.')) {
    return {
      kind: 'ignored',
      reason: `CloudTrail events from ${show(e.source)} are not ones Tourniquet handles`,
    };
  }
  const why = e.source.startsWith('aws.')
    ? `${show(e.source)} does not publish it`
    : 'only AWS services can publish aws.* sources, so this event is not from AWS';
  return reject(
    `source ${show(e.source)} does not match detail-type "${detailType}" (expected ${sources.join(' or ')}): ${why}`,
  );
}

function decode(raw: unknown): unknown {
  if (typeof raw === 'string') {
    checkSize(Buffer.byteLength(raw));
    try {
      return JSON.parse(raw);
    } catch (error) {
      return reject(
        `the event is not valid JSON (truncated?): ${printable((error as Error).message).slice(0, 200)}`,
      );
    }
  }
  let serialized: string | undefined;
  try {
    serialized = JSON.stringify(raw);
  } catch (error) {
    reject(`the event cannot be serialized as JSON: ${printable((error as Error).message).slice(0, 200)}`);
  }
  checkSize(serialized === undefined ? 0 : Buffer.byteLength(serialized));
  return raw;
}

function checkSize(bytes: number): void {
  if (bytes > MAX_EVENTBRIDGE_BYTES) {
    reject(
      `the event is ${bytes} bytes: EventBridge delivers at most ${MAX_EVENTBRIDGE_BYTES}, so it did not come from it`,
    );
  }
}
