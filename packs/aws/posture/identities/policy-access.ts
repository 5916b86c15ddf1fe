import type { PolicyStatement } from '../../policies.ts';

/**
 * Enough of IAM's policy evaluation to say who can read or write an asset bucket (IAM User Guide,
 * reference_policies_evaluation-logic), for identity and bucket policies alike: Action/NotAction
 * and Resource/NotResource with `*` and `?` wildcards, explicit Deny over Allow. Conditions cannot
 * be judged without a request: an Allow under a condition is reported as conditional access, a
 * Deny under a condition is assumed not to apply. Permission boundaries, SCPs and session policies
 * are not read. Held equal to @cloud-copilot/iam-simulate on generated policies (test/aws).
 */

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** IAM's wildcard match: `*` any run, `?` one character; actions case-insensitively. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const re = p
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(v);
}

/** Can `pattern` match some string that starts with `prefix`? (The text before its first wildcard decides.) */
export function overlapsPrefix(pattern: string, prefix: string): boolean {
  const wild = pattern.search(/[*?]/);
  if (wild < 0) return pattern.startsWith(prefix);
  const head = pattern.slice(0, wild);
  if (head.length >= prefix.length) return head.startsWith(prefix);
  if (!prefix.startsWith(head)) return false;
  // The wildcard stands where the prefix goes on: `?` consumes exactly one character of it.
  return pattern[wild] === '*' || overlapsPrefix(pattern.slice(wild + 1), prefix.slice(wild + 1));
}

/** Does `pattern` match every string that starts with `prefix`? */
export function coversPrefix(pattern: string, prefix: string): boolean {
  const wild = pattern.search(/[*?]/);
  return wild === pattern.length - 1 && pattern.endsWith('*') && prefix.startsWith(pattern.slice(0, -1));
}

const actionMatches = (s: PolicyStatement, action: string) =>
  s.NotAction !== undefined
    ? !list(s.NotAction).some((p) => globMatch(p, action, true))
    : list(s.Action).some((p) => globMatch(p, action, true));

function resourceMatches(s: PolicyStatement, resource: string): boolean {
  if (s.NotResource !== undefined)
    return !list(s.NotResource as string | string[]).some((p) => globMatch(p, resource));
  return list(s.Resource).some((p) => globMatch(p, resource));
}

export type Verdict = 'allowed' | 'conditional' | 'denied' | 'implicit';

/** How a set of statements answers one concrete request (action on resource), conditions aside. */
export function evaluateRequest(
  statements: readonly PolicyStatement[],
  action: string,
  resource: string,
): Verdict {
  const applies = (s: PolicyStatement) => actionMatches(s, action) && resourceMatches(s, resource);
  if (statements.some((s) => s.Effect === 'Deny' && !s.Condition && applies(s))) return 'denied';
  const allows = statements.filter((s) => s.Effect === 'Allow' && applies(s));
  if (allows.some((s) => !s.Condition)) return 'allowed';
  return allows.length ? 'conditional' : 'implicit';
}

/**
 * Whether the statements grant `action` on some object of the bucket: an Allow whose resources
 * reach into `arn:aws:s3:::<bucket>/`, unless an unconditional Deny covers every object of it.
 * Returns the positions of the granting statements.
 */
export function bucketObjectAccess(
  statements: readonly PolicyStatement[],
  bucket: string,
  action: string,
): { verdict: Verdict; statements: number[] } {
  const objects = `arn:aws:s3:::${bucket}/`;
  const reaches = (s: PolicyStatement) =>
    s.NotResource !== undefined
      ? !list(s.NotResource as string | string[]).some((p) => coversPrefix(p, objects))
      : list(s.Resource).some((p) => overlapsPrefix(p, objects));
  const covers = (s: PolicyStatement) =>
    s.NotResource === undefined && list(s.Resource).some((p) => coversPrefix(p, objects));
  if (statements.some((s) => s.Effect === 'Deny' && !s.Condition && actionMatches(s, action) && covers(s)))
    return { verdict: 'denied', statements: [] };
  const allows = statements
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.Effect === 'Allow' && actionMatches(s, action) && reaches(s));
  if (!allows.length) return { verdict: 'implicit', statements: [] };
  return {
    verdict: allows.some(({ s }) => !s.Condition) ? 'allowed' : 'conditional',
    statements: allows.map((a) => a.i),
  };
}

/** The statements of a policy document as IAM returns it: URL-encoded JSON text, or parsed. */
export function statementsOf(document: unknown): PolicyStatement[] {
  let doc = document;
  if (typeof doc === 'string') {
    const text = doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc);
    doc = JSON.parse(text);
  }
  const s = (doc as { Statement?: unknown })?.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []) as PolicyStatement[];
}
