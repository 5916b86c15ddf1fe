import type { Alert } from '../../core/alert.ts';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import type { ManualTarget, TargetMeta } from '../../core/manual-command.ts';
import { MAX_EVENT_BYTES, type ParsedEvent } from '../../core/parsed-event.ts';
import { parseBlobEvent } from './blob-event.ts';
import { isDefenderAlert, parseDefenderAlert } from './defender-alert.ts';
import { type Envelope, isEnvelope, readEnvelope } from './envelope.ts';
import { isObject, reject } from './fields.ts';
import { parseGraphAlert } from './graph-alert.ts';
import { parseMalwareScan } from './malware-scan.ts';
import { manualAzureAlert } from './manual-target.ts';
import { isMonitorAlert, parseMonitorAlert } from './monitor-alert.ts';
import { parseResourceEvent } from './resource-event.ts';

/** Event Grid delivers at most 5,000 events in one batch. */
const MAX_BATCH = 5000;
const VALIDATION = 'Microsoft.EventGrid.SubscriptionValidationEvent';
/** The Event Grid event types of the findings Tourniquet publishes (incidents, posture checks). */
export const OWN_EVENT_TYPES = ['Tourniquet.Incident.*', 'Tourniquet.Posture.*'] as const;

/**
 * Turns one Azure delivery into normalized alerts, the only place Azure event shapes are checked:
 * an Event Grid or CloudEvents event or batch (blob, resource, malware scanning, Graph alert
 * events, or a custom topic carrying a Defender or Monitor alert), a Defender for Cloud alert, or
 * an Azure Monitor common-schema alert, as an object or JSON text. Never throws: malformed,
 * forged or oversized input is `rejected` with what was wrong; well-formed events Tourniquet has
 * no use for (validation handshakes, clean scans, resolved alerts) are `ignored`. Subscriptions
 * outside the configuration are left to the decision, which ignores them.
 *
 * @example
 * const parsed = parseAzureEvent(eventGridEvent);
 * if (parsed.kind === 'alerts') for (const alert of parsed.alerts) decide(alert, config, { now });
 */
export function parseAzureEvent(raw: unknown): ParsedEvent {
  try {
    const value = typeof raw === 'string' ? fromText(raw) : raw;
    const bytes = byteSize(value);
    if (bytes > MAX_EVENT_BYTES) reject(`the delivery is ${bytes} bytes: no Event Grid event is over 1 MB`);
    const events = Array.isArray(value) ? value : [value];
    if (events.length === 0) reject('the delivery is an empty batch');
    if (events.length > MAX_BATCH)
      reject(`the batch holds ${events.length} events: Event Grid sends at most ${MAX_BATCH}`);
    const parsed = events.map((e, i) => parseOne(e, events.length > 1 ? `event[${i}]` : 'event'));
    const alerts: Alert[] = parsed.flatMap((p) => (p.kind === 'alerts' ? p.alerts : []));
    if (alerts.length) return { kind: 'alerts', alerts };
    const reasons = [...new Set(parsed.map((p) => (p.kind === 'alerts' ? '' : p.reason)))];
    return { kind: 'ignored', reason: reasons.join('; ') };
  } catch (error) {
    const reason =
      error instanceof RejectedInputError
        ? error.message
        : `the event could not be parsed: ${describeError(error)}`;
    return { kind: 'rejected', reason };
  }
}

/**
 * A responder's explicit Azure target → one `manual` alert (see manual-target.ts). Never throws.
 *
 * @example
 * parseAzureTarget({ principal: 'sp:6f1c…', stores: ['/subscriptions/…/storageAccounts/stweights'],
 *   objects: [], accessKeyIds: [] }, { incidentId: 'IR-2026-007', now: new Date(), config })
 */
export function parseAzureTarget(target: ManualTarget, meta: TargetMeta): ParsedEvent {
  try {
    return { kind: 'alerts', alerts: [manualAzureAlert(target, meta)] };
  } catch (error) {
    return {
      kind: 'rejected',
      reason: error instanceof RejectedInputError ? error.message : describeError(error),
    };
  }
}

/**
 * The code to echo when a delivery is an Event Grid subscription validation handshake (webhook
 * endpoints answer `{ validationResponse }`); undefined for anything else.
 */
export function validationCode(raw: unknown): string | undefined {
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (!isObject(first) || first.eventType !== VALIDATION || !isObject(first.data)) return undefined;
  const code = first.data.validationCode;
  return typeof code === 'string' && /^[\w-]{1,128}$/.test(code) ? code : undefined;
}

/**
 * Event Grid and CloudEvents types, first match wins (`*` ends a prefix): the dispatch table, as
 * AWS's is by detail type. Any other type is a custom topic, whose data may carry an alert.
 */
const PARSERS: readonly (readonly [type: string, parse: (e: Envelope, path: string) => ParsedEvent])[] = [
  [
    VALIDATION,
    () => ({
      kind: 'ignored',
      reason: 'Event Grid subscription validation handshake: answered, never acted on',
    }),
  ],
  ['Microsoft.EventGrid.*', (e) => ({ kind: 'ignored', reason: `${e.type} is an Event Grid notice` })],
  // What Tourniquet publishes itself (findings for Sentinel / Log Analytics) must never come back as
  // work. (`Tourniquet.DefenderAlert` is not one of them: it is the custom topic docs/azure.md names.)
  ...OWN_EVENT_TYPES.map(
    (type) =>
      [
        type,
        (e: Envelope) => ({
          kind: 'ignored' as const,
          reason: `${e.type} is Tourniquet's own, published by it: never acted on`,
        }),
      ] as const,
  ),
  ['Microsoft.Storage.*', parseBlobEvent],
  ['Microsoft.Resources.*', parseResourceEvent],
  ['Microsoft.Security.MalwareScanningResult', parseMalwareScan],
  ['Microsoft.Graph.AlertCreated', parseGraphAlert],
];

/** Alerts that come as they are (an action group, a Logic App) or as a custom topic's data. */
const ALERTS: readonly (readonly [
  is: (raw: unknown) => boolean,
  parse: (raw: unknown, path: string) => ParsedEvent,
])[] = [
  [isDefenderAlert, parseDefenderAlert],
  [isMonitorAlert, parseMonitorAlert],
];

function parseOne(raw: unknown, path: string): ParsedEvent {
  const alert = ALERTS.find(([is]) => is(raw));
  if (alert) return alert[1](raw, path);
  if (!isEnvelope(raw)) {
    return reject(
      `${path} is not an Event Grid event, a CloudEvent, a Defender for Cloud alert or an Azure Monitor alert`,
    );
  }
  const e = readEnvelope(raw, path);
  const parse = PARSERS.find(([type]) => typeMatches(type, e.type))?.[1] ?? parseCustomTopic;
  return parse(e, path);
}

function parseCustomTopic(e: Envelope, path: string): ParsedEvent {
  const alert = ALERTS.find(([is]) => is(e.data));
  if (alert) {
    // Whoever may publish to the topic could write this alert: decide weighs the channel
    // (azure.trustedTopics, core/low-trust.ts).
    const parsed = alert[1](e.data, `${path}.data`);
    if (parsed.kind !== 'alerts') return parsed;
    const alerts = parsed.alerts.map((a) => ({ ...a, context: { ...a.context, eventGridTopic: e.topic } }));
    return { ...parsed, alerts };
  }
  return { kind: 'ignored', reason: `${e.type} is not an event Tourniquet uses` };
}

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

function fromText(text: string): unknown {
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES)
    reject(`the delivery is ${Buffer.byteLength(text)} bytes: no Event Grid event is over 1 MB`);
  try {
    return JSON.parse(text);
  } catch (error) {
    return reject(`the delivery is not valid JSON: ${(error as Error).message}`);
  }
}

function byteSize(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  return Buffer.byteLength(text);
}
