import type { Alert, PrincipalRef } from '../alert.ts';
import { actorOf } from './rules/bulk-read.ts';
import { ECHOED } from './rules/canary-token.ts';

/**
 * What one rule observed about one actor: a typed fact with its figures and a line a responder
 * reads. Rules raise these (as rule alerts); the correlator (correlate.ts) combines the signals of
 * one actor and window into a finding with a confidence (combinations.ts).
 */
export interface Signal {
  kind: SignalKind;
  /** The rule that raised it (`bulk-read`, …): its mode in `detect.modes` applies. */
  rule: string;
  /** The finest grain the log gives: role session, end user, SAS hash, source address. */
  actor: string;
  /** `actor`: the fact is about this actor; `principal`: about every actor of the principal (first-ever reader). */
  scope: 'actor' | 'principal';
  /** The rule alert the signal comes from: its principal, resources, figures and type. */
  alert: Alert;
  /** How many times the fact was seen (prompts matched, flows…); 1 when the rule does not count. */
  count: number;
  /** Source addresses the fact involves (cross-cloud correlation). */
  addresses: string[];
  /** One line, e.g. "first read of weights by this principal ever". */
  says: string;
}

export const SIGNAL_KINDS = [
  'bulk-volume',
  'bulk-volume-known-reader',
  'first-reader',
  'unexpected-network',
  'artifact-modified',
  'artifact-copied',
  'artifact-in-other-cloud',
  'egress-volume',
  'new-external-peer',
  'request-rate',
  'near-duplicates',
  'extraction-pattern',
  'injection-pattern',
  'canary-in-response',
  'canary-echoed',
  'secret-echoed',
  'secret-in-response',
  'same-address-both-clouds',
  'mass-deletion',
  'anonymous-read',
  'above-own-baseline',
  'new-network',
  'unusual-hours',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

type Evidence = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Distinct objects and reads of a bulk read: "more than 25" once the count stopped at its cap. */
function objectWords(e: Evidence): string {
  if (e.distinctObjects === undefined) return `${num(e.objects)} weight objects`;
  const distinct = e.distinctCapped ? `more than ${num(e.distinctObjects) - 1}` : `${num(e.distinctObjects)}`;
  return num(e.objects) === num(e.distinctObjects)
    ? `${distinct} weight objects`
    : `${distinct} weight objects (${num(e.objects)} reads)`;
}
const gb = (bytes: unknown) => `${(num(bytes) / 1e9).toFixed(num(bytes) >= 1e10 ? 0 : 1)} GB`;
const kb = (bytes: unknown) =>
  num(bytes) >= 1e6 ? `${(num(bytes) / 1e6).toFixed(0)} MB` : `${(num(bytes) / 1e3).toFixed(0)} KB`;
const minutes = (e: Evidence) => {
  const w = e.window as { start?: string; end?: string } | undefined;
  if (!w?.start || !w.end) return '';
  return ` in ${Math.round((Date.parse(w.end) - Date.parse(w.start)) / 60_000)} min`;
};
const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(', ') : '');

/** Per rule: the kind of signal its alert is, and the words for it. */
const RULE_SIGNALS: Record<
  string,
  (e: Evidence, a: Alert) => Pick<Signal, 'kind' | 'says'> & { count?: number }
> = {
  'bulk-read': (e) => ({
    kind: e.trusted ? 'bulk-volume-known-reader' : 'bulk-volume',
    says: `${objectWords(e)}, ${gb(e.bytes)}${minutes(e)}${e.knownReader ? (e.trusted ? ' by a known reader' : ' by a known reader, outside its networks') : ' by a reader with no profile (absolute limits)'}`,
  }),
  'first-reader': () => ({ kind: 'first-reader', says: 'first read of weights by this principal ever' }),
  'unexpected-network': (e) => ({
    kind: 'unexpected-network',
    says: `from ${list(e.origins) || 'an unknown address'}, outside every expected network; no expected VPC endpoint`,
  }),
  'artifact-modified': (e) => ({
    kind: 'artifact-modified',
    says: `approved artifact changed: ${String(e.verdict ?? e.how ?? 'digest differs')}`,
  }),
  'artifact-copied': (e, a) => {
    const other = cloudOfLocation(String(e.original ?? '')) !== a.cloud;
    return {
      kind: other ? 'artifact-in-other-cloud' : 'artifact-copied',
      says: `${String(e.how ?? 'copy')} of approved artifact ${String(e.original ?? '')} at ${String(e.copy ?? '')}${other ? ' (in the other cloud)' : ''}`,
    };
  },
  'egress-flow': (e) => ({
    kind: 'egress-volume',
    says: `${gb(e.flowBytes)} in one flow from ${String(e.endpoint)} to ${String(e.peer)}, far above the endpoint's usual flow (median ${kb(e.baselineMedianBytes)})`,
  }),
  'egress-peer': (e) => ({
    kind: 'egress-volume',
    says: `${gb(e.peerBytes)} to ${String(e.peer)}${minutes(e)}, far above what the endpoint's external peers usually receive (median ${kb(e.baselineMedianBytes)} a window)`,
  }),
  'egress-internal-peer': (e) => ({
    kind: 'egress-volume',
    says: `${gb(e.peerBytes)} to internal peer ${String(e.peer)}${minutes(e)}, far above its own history (median ${kb(e.baselineMedianBytes)} over ${num(e.baselineSamples)} windows)`,
  }),
  'new-external-peer': (e) => ({
    kind: 'new-external-peer',
    says: `new external peer ${String(e.peer)} received ${gb(e.bytes)}${minutes(e)}${num(e.largestPriorPeerBytes) ? `, ${Math.round(num(e.bytes) / num(e.largestPriorPeerBytes))} times the most any external peer received in a window before (${kb(e.largestPriorPeerBytes)})` : ', and no external peer had received anything before'}`,
  }),
  'request-rate': (e) => ({
    kind: 'request-rate',
    says: `${num(e.requests)} requests${minutes(e)} (limit ${num(e.maxRequests)})`,
  }),
  'varied-prompts': (e) => ({
    kind: 'near-duplicates',
    says: `${num(e.nearDuplicates)} of ${num(e.prompts)} prompts are templated variations${minutes(e)}`,
  }),
  'extraction-prompts': (e) => ({
    kind: 'extraction-pattern',
    count: num(e.matches) || 1,
    says: `${num(e.matches) || 1} extraction prompt(s): ${list(e.techniques)}`,
  }),
  'prompt-injection': (e) => ({
    kind: 'injection-pattern',
    count: num(e.hits) || 1,
    says: `${num(e.hits) || 1} prompt(s) with injection patterns: ${list(e.matched)}`,
  }),
  'bulk-delete': (e) => ({
    kind: 'mass-deletion',
    says: num(e.batches)
      ? `${num(e.batches)} DeleteObjects call(s) naming no key on protected ${list(e.batchStores) || 'store'}: a bulk deletion of unknown size (up to 1,000 objects per call)${num(e.objects) ? `, and ${num(e.objects)} weight objects deleted by key (${num(e.approved)} approved artifacts)` : ''}${minutes(e)}`
      : `${num(e.objects)} weight objects deleted (${num(e.approved)} approved artifacts)${minutes(e)}`,
  }),
  'anonymous-read': (e) => ({
    kind: 'anonymous-read',
    says: `${num(e.reads) || 1} read(s) of a protected store with no credentials at all (${gb(e.bytes)}) from ${list(e.addresses) || 'an unknown address'}`,
  }),
  'above-own-baseline': (e) => ({
    kind: 'above-own-baseline',
    says: `${num(e.objects)} objects, ${gb(e.bytes)}${minutes(e)}: far above this actor's own usual ${num(e.medianObjects)} objects, ${gb(e.medianBytes)} per window (learned from ${num(e.windows)} windows)`,
  }),
  'new-network': (e) => ({
    kind: 'new-network',
    says: `from ${list(e.networks)}, a network this actor never used in ${num(e.windows)} windows (it uses ${list(e.known)})`,
  }),
  'unusual-hours': (e) => ({
    kind: 'unusual-hours',
    says: `at ${hourWords(num(e.hourOfWeek))} UTC, outside the hours this actor worked in ${num(e.windows)} windows`,
  }),
  'canary-token': (e) =>
    Array.isArray(e.matched) && e.matched.length > 0 && e.matched.every((m) => String(m).endsWith(ECHOED))
      ? {
          kind: 'canary-echoed',
          says: "a canary token came back in a response, echoing the caller's own prompt that held it",
        }
      : { kind: 'canary-in-response', says: 'a canary token came back in a response' },
  'secret-output': (e) =>
    Array.isArray(e.matched) && e.matched.length > 0 && e.matched.every((m) => String(m).endsWith(ECHOED))
      ? {
          kind: 'secret-echoed',
          says: `a response repeats a secret the caller's own prompt held (${list(e.matched)})`,
        }
      : { kind: 'secret-in-response', says: `a response holds a secret (${list(e.matched)})` },
};

/** Rule alerts raised by another rule's detector: its mode (`detect.modes`) is the detector's. */
const BASELINE_RULES = new Set(['above-own-baseline', 'new-network', 'unusual-hours']);
const detectorOfRule = (rule: string) =>
  rule.startsWith('egress-') ? 'egress-volume' : BASELINE_RULES.has(rule) ? 'bulk-read' : rule;

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hourWords = (h: number) => `${DAYS[Math.floor(h / 24) % 7]} ${String(h % 24).padStart(2, '0')}:00`;

function cloudOfLocation(location: string): 'aws' | 'azure' {
  return location.startsWith('s3://') || location.startsWith('arn:aws') ? 'aws' : 'azure';
}

/** The finest-grain actor of a rule alert: what the rule counted by, else the session, else the subject. */
export function actorOfAlert(alert: Alert): string {
  const e = (alert.context.evidence ?? {}) as Evidence;
  if (typeof e.actor === 'string') return e.actor;
  if (alert.principal) return actorOf(alert.principal);
  return String(alert.dedupeKey);
}

/** The signal a rule alert is; undefined for an alert of no known rule. */
export function signalOf(alert: Alert): Signal | undefined {
  const rule = String(alert.context.rule ?? '');
  const make = RULE_SIGNALS[rule];
  if (!make) return undefined;
  const e = (alert.context.evidence ?? {}) as Evidence;
  const { kind, says, count = 1 } = make(e, alert);
  return {
    kind,
    rule: detectorOfRule(rule),
    actor: actorOfAlert(alert),
    scope: rule === 'first-reader' ? 'principal' : 'actor',
    alert,
    count,
    addresses: addressesOf(e, alert.principal),
    says,
  };
}

function addressesOf(e: Evidence, principal: PrincipalRef | null): string[] {
  const out = new Set<string>();
  for (const a of principal?.aliases ?? []) if (a.type === 'ip') out.add(a.value);
  if (typeof e.sourceIp === 'string') out.add(e.sourceIp);
  if (Array.isArray(e.origins))
    for (const o of e.origins) if (typeof o === 'string' && !o.startsWith('vpce-')) out.add(o);
  if (Array.isArray(e.sourceIps)) for (const o of e.sourceIps) if (typeof o === 'string') out.add(o);
  return [...out].filter((a) => a !== 'unknown');
}
