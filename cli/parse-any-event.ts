import { MAX_EVENT_BYTES, type ParsedEvent } from '../core/parsed-event.ts';
import { parseAwsEvent } from '../functions-aws/events/index.ts';
import { parseAzureEvent } from '../functions-azure/events/index.ts';

/**
 * Reads an event file's text and hands it to the parser of the cloud it came from: EventBridge
 * envelopes (`detail-type`, `source`) to AWS; Event Grid, CloudEvents, Defender and Monitor alerts
 * to Azure. Anything else is rejected with what was expected.
 */
export function parseAnyEvent(text: string): ParsedEvent {
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES) {
    return {
      kind: 'rejected',
      reason: `the event is ${Buffer.byteLength(text)} bytes: no EventBridge or Event Grid event is over 1 MB`,
    };
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    return { kind: 'rejected', reason: `the event is not valid JSON: ${(error as Error).message}` };
  }
  return parseAnyEventValue(event);
}

export function parseAnyEventValue(event: unknown): ParsedEvent {
  const cloud = cloudOf(event);
  if (cloud === 'aws') return parseAwsEvent(event);
  if (cloud === 'azure') return parseAzureEvent(event);
  return {
    kind: 'rejected',
    reason:
      'unrecognized event: expected an EventBridge event ("source", "detail-type", "detail") or an Azure ' +
      'Event Grid / CloudEvents event, a Defender for Cloud alert or an Azure Monitor alert',
  };
}

function cloudOf(event: unknown): 'aws' | 'azure' | undefined {
  const first = Array.isArray(event) ? event[0] : event;
  if (typeof first !== 'object' || first === null) return undefined;
  const o = first as Record<string, unknown>;
  if (!Array.isArray(event) && ('detail-type' in o || ('source' in o && 'detail' in o))) return 'aws';
  if ('eventType' in o || 'specversion' in o || 'schemaId' in o || 'properties' in o || 'data' in o)
    return 'azure';
  return undefined;
}
