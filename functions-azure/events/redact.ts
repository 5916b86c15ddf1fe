/** Fields that are secrets of the delivery, not facts of the incident: never journaled or logged. */
const SECRET_KEYS = new Set(['clientstate', 'validationcode', 'validationurl', 'sig', 'code']);

/**
 * A copy of an event without delivery secrets (Graph `clientState`, Event Grid validation codes),
 * for the journal's `event.json`. Depth and size are bounded by the 1 MB event limit checked before.
 */
export function redactEvent(value: unknown, depth = 0): unknown {
  if (depth > 32) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redactEvent(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEYS.has(k.toLowerCase()) ? '[redacted]' : redactEvent(v, depth + 1),
    ]),
  );
}
