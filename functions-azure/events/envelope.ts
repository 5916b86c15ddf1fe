import { isObject, type Json, obj, optStr, reject, str, time } from './fields.ts';

/**
 * One event in either delivery schema, normalized: Event Grid schema (`topic`, `eventType`,
 * `eventTime`, `dataVersion`, `metadataVersion`) or CloudEvents 1.0 (`source`, `type`, `time`,
 * `specversion`). Source: MicrosoftDocs/azure-docs articles/event-grid/event-schema.md and
 * cloud-event-schema.md.
 */
export interface Envelope {
  schema: 'eventgrid' | 'cloudevents';
  id: string;
  type: string;
  /** Event Grid `topic` / CloudEvents `source`: the publishing resource. */
  topic: string;
  subject: string;
  time: string;
  data: Json;
}

export function isEnvelope(value: unknown): boolean {
  return isObject(value) && (('eventType' in value && 'id' in value) || 'specversion' in value);
}

export function readEnvelope(raw: unknown, path: string): Envelope {
  const e = obj(raw, path);
  if ('specversion' in e) {
    if (e.specversion !== '1.0') return reject(`${path}.specversion must be "1.0" (CloudEvents 1.0)`);
    return {
      schema: 'cloudevents',
      id: str(e.id, `${path}.id`, 256),
      type: str(e.type, `${path}.type`, 256),
      topic: str(e.source, `${path}.source`, 1024),
      subject: optStr(e.subject, `${path}.subject`, 2048) ?? '',
      time: time(e.time, `${path}.time`),
      data: dataOf(e.data, e.data_base64, path),
    };
  }
  return {
    schema: 'eventgrid',
    id: str(e.id, `${path}.id`, 256),
    type: str(e.eventType, `${path}.eventType`, 256),
    topic: optStr(e.topic, `${path}.topic`, 1024) ?? '',
    // Validation handshakes carry an empty subject; the parsers of real events check theirs.
    subject: optStr(e.subject, `${path}.subject`, 2048) ?? '',
    time: time(e.eventTime, `${path}.eventTime`),
    data: dataOf(e.data, undefined, path),
  };
}

function dataOf(data: unknown, base64: unknown, path: string): Json {
  if (base64 !== undefined) return reject(`${path}.data_base64: binary event data is not accepted`);
  if (data === undefined || data === null) return {};
  return obj(data, `${path}.data`);
}
