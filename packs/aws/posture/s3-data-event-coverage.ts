/**
 * Does a trail's `GetEventSelectors` answer log one S3 data event (e.g. `GetObject`) for *every*
 * object of a bucket, whoever asks? Basic selectors (`EventSelectors[].DataResources`) match by ARN
 * prefix; advanced selectors (`AdvancedEventSelectors[].FieldSelectors`) AND their fields, OR the
 * values of Equals/StartsWith/EndsWith and AND the Not… operators (CloudTrail API Reference,
 * AdvancedFieldSelector). Selectors OR with each other. Anything that narrows the events — a prefix,
 * an excluded principal, only failed calls — is reported as a gap, because an attacker can use it.
 */

export interface EventSelectorsAnswer {
  EventSelectors?: {
    ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
    DataResources?: { Type?: string; Values?: string[] }[];
  }[];
  AdvancedEventSelectors?: { Name?: string; FieldSelectors?: FieldSelector[] }[];
}

export interface FieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

/** The event to cover: its name, whether it is read-only, the bucket. */
export interface S3Event {
  eventName: string;
  readOnly: boolean;
  bucket: string;
}

export type Coverage = { covered: true } | { covered: false; gaps: string[] };

/** The whole bucket's objects: the ARN prefix every object ARN of the bucket starts with. */
const objectsOf = (bucket: string) => `arn:aws:s3:::${bucket}/`;

export function s3EventCoverage(answer: EventSelectorsAnswer, event: S3Event): Coverage {
  const gaps: string[] = [];
  for (const selector of answer.EventSelectors ?? []) {
    const rw = selector.ReadWriteType ?? 'All';
    if (rw !== 'All' && (rw === 'ReadOnly') !== event.readOnly) continue;
    for (const resource of selector.DataResources ?? []) {
      if (resource.Type !== 'AWS::S3::Object') continue;
      for (const value of resource.Values ?? []) {
        if (objectsOf(event.bucket).startsWith(value)) return { covered: true };
        if (value.startsWith(objectsOf(event.bucket)))
          gaps.push(`only objects under ${value.slice(objectsOf(event.bucket).length)}`);
      }
    }
  }
  for (const selector of answer.AdvancedEventSelectors ?? []) {
    const verdict = advancedCoverage(selector.FieldSelectors ?? [], event);
    if (verdict === 'covered') return { covered: true };
    if (verdict !== 'no') gaps.push(`${selector.Name ? `"${selector.Name}": ` : ''}${verdict}`);
  }
  return { covered: false, gaps };
}

/** `covered`, `no` (the selector is about other events), or the gap that keeps it from covering. */
function advancedCoverage(fields: readonly FieldSelector[], event: S3Event): string {
  const field = (name: string) => fields.filter((f) => f.Field === name);
  const all = (name: string, value: string) => field(name).every((f) => matches(f, value));
  if (!field('eventCategory').some((f) => f.Equals?.includes('Data'))) return 'no';
  if (!field('resources.type').some((f) => f.Equals?.includes('AWS::S3::Object'))) return 'no';
  if (!all('readOnly', String(event.readOnly))) return 'no';
  if (!all('eventName', event.eventName)) return 'no';
  if (!all('eventSource', 's3.amazonaws.com') || !all('eventType', 'AwsApiCall')) return 'no';

  const gaps: string[] = [];
  const target = objectsOf(event.bucket);
  for (const f of field('resources.ARN')) {
    const positive = [...(f.Equals ?? []), ...(f.StartsWith ?? []), ...(f.EndsWith ?? [])];
    if (positive.length) {
      const whole = (f.StartsWith ?? []).some((v) => target.startsWith(v));
      if (!whole) {
        const inside = [...(f.Equals ?? []), ...(f.StartsWith ?? [])].filter((v) => v.startsWith(target));
        if (!inside.length && !(f.EndsWith ?? []).length) return 'no';
        gaps.push(`only objects ${describe(f, target)}`);
      }
    }
    const excluded = [
      ...(f.NotStartsWith ?? []).filter((v) => v.startsWith(target) || target.startsWith(v)),
      ...(f.NotEquals ?? []).filter((v) => v.startsWith(target)),
      ...(f.NotEndsWith ?? []),
    ];
    if (excluded.length) gaps.push(`not objects ${excluded.map((v) => short(v, target)).join(', ')}`);
  }
  for (const f of fields) {
    if (
      [
        'eventCategory',
        'resources.type',
        'readOnly',
        'eventName',
        'eventSource',
        'eventType',
        'resources.ARN',
      ].includes(f.Field)
    )
      continue;
    const narrows = (f.Equals ?? []).length + (f.StartsWith ?? []).length + (f.EndsWith ?? []).length > 0;
    const excludes = [...(f.NotEquals ?? []), ...(f.NotStartsWith ?? []), ...(f.NotEndsWith ?? [])];
    // A failed call has an errorCode, a successful one none: excluding error codes loses no read.
    if (f.Field === 'errorCode' && !narrows) continue;
    if (narrows) gaps.push(`only events whose ${f.Field} matches ${JSON.stringify(positives(f))}`);
    else if (excludes.length) gaps.push(`not events whose ${f.Field} matches ${JSON.stringify(excludes)}`);
  }
  return gaps.length ? gaps.join('; ') : 'covered';
}

function matches(f: FieldSelector, value: string): boolean {
  const positive = positives(f);
  const hit =
    (f.Equals ?? []).includes(value) ||
    (f.StartsWith ?? []).some((v) => value.startsWith(v)) ||
    (f.EndsWith ?? []).some((v) => value.endsWith(v));
  if (positive.length && !hit) return false;
  if ((f.NotEquals ?? []).includes(value)) return false;
  if ((f.NotStartsWith ?? []).some((v) => value.startsWith(v))) return false;
  return !(f.NotEndsWith ?? []).some((v) => value.endsWith(v));
}

const positives = (f: FieldSelector) => [...(f.Equals ?? []), ...(f.StartsWith ?? []), ...(f.EndsWith ?? [])];
const short = (arn: string, target: string) =>
  arn.startsWith(target) ? arn.slice(target.length) || '/' : arn;

function describe(f: FieldSelector, target: string): string {
  const parts = [
    ...(f.StartsWith ?? []).filter((v) => v.startsWith(target)).map((v) => `under ${short(v, target)}`),
    ...(f.Equals ?? []).filter((v) => v.startsWith(target)).map((v) => short(v, target)),
    ...(f.EndsWith ?? []).map((v) => `ending ${v}`),
  ];
  return parts.join(', ');
}
