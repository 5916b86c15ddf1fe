/**
 * True when two JSON texts or values mean the same policy: key order is ignored and a one-element
 * array equals its element (IAM and S3 may hand back `"Action": "s3:*"` for `["s3:*"]`).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return (
    canonical(typeof a === 'string' ? JSON.parse(a) : a) ===
    canonical(typeof b === 'string' ? JSON.parse(b) : b)
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 1 ? canonical(value[0]) : `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
