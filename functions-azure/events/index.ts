import type { Alert } from '../../core/alert.ts';
import { describeError, RejectedInputError } from '../../core/errors.ts';
import type { ManualTarget } from '../../core/manual-command.ts';
import { MAX_EVENT_BYTES, type ParsedEvent } from '../../core/parsed-event.ts';
import { parseBlobEvent } from './blob-event.ts';
import { isDefenderAlert, parseDefenderAlert } from './defender-alert.ts';
import { isEnvelope, readEnvelope } from './envelope.ts';
import { isObject, reject } from './fields.ts';
import { parseGraphAlert } from './graph-alert.ts';
import { parseMalwareScan } from './malware-scan.ts';
import { manualAzureAlert } from './manual-target.ts';
import { isMonitorAlert, parseMonitorAlert } from './monitor-alert.ts';
import { parseResourceEvent } from './resource-event.ts';

/** Event Grid delivers at most 5,000 events in one batch. */
const MAX_BATCH = 5000;
const VALIDATION = 'Microsoft.EventGrid.SubscriptionValidationEvent';

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
 *   objects: [], accessKeyIds: [] }, { incidentId: 'IR-2026-007', now: new Date() })
 */
export function parseAzureTarget(target: ManualTarget, meta: { incidentId: string; now: Date }): ParsedEvent {
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

function parseOne(raw: unknown, path: string): ParsedEvent {
  if (isDefenderAlert(raw)) return parseDefenderAlert(raw, path);
  if (isMonitorAlert(raw)) return parseMonitorAlert(raw, path);
  if (!isEnvelope(raw)) {
    return reject(
      `${path} is not an Event Grid event, a CloudEvent, a Defender for Cloud alert or an Azure Monitor alert`,
    );
  }
  const e = readEnvelope(raw, path);
  if (e.type === VALIDATION)
    return {
      kind: 'ignored',
      reason: 'Event Grid subscription validation handshake: answered, never acted on',
    };
  if (e.type.startsWith('Microsoft.EventGrid.'))
    return { kind: 'ignored', reason: `${e.type} is an Event Grid notice` };
  if (e.type.startsWith('Microsoft.Storage.')) return parseBlobEvent(e, path);
  if (e.type.startsWith('Microsoft.Resources.')) return parseResourceEvent(e, path);
  if (e.type === 'Microsoft.Security.MalwareScanningResult') return parseMalwareScan(e, path);
  if (e.type === 'Microsoft.Graph.AlertCreated') return parseGraphAlert(e, path);
  if (isDefenderAlert(e.data)) return parseDefenderAlert(e.data, `${path}.data`);
  if (isMonitorAlert(e.data)) return parseMonitorAlert(e.data, `${path}.data`);
  return { kind: 'ignored', reason: `${e.type} is not an event Tourniquet uses` };
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
