import type { SignalKind } from './signals.ts';

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
/** `high` may lead to automatic containment; `medium` escalates with evidence pinned; `low` is a signal only. */
export type Confidence = (typeof CONFIDENCES)[number];

/** One row of the combination table: the signals of one actor and window that give a confidence. */
export interface Combination {
  /** Shown in the finding (`context.combination`) and in docs/detection.md. */
  name: string;
  /** Every one of these kinds must be among the actor's signals. */
  all: readonly SignalKind[];
  /** And at least this many occurrences of one kind (counts summed over its signals). */
  atLeast?: { kind: SignalKind; count: number };
  confidence: Confidence;
}

/**
 * The combination table (data, like core/playbooks): a finding gets the highest confidence of the
 * rows its signals satisfy; a kind no row names alone is `low`. Volume alone never contains: only
 * facts that prove harm on their own (a canary coming back, an approved artifact in the other
 * cloud's storage) or corroborated signals reach `high`. docs/detection.md lists it; every row is
 * tested in test/detect/correlate.test.ts.
 */
export const COMBINATIONS: readonly Combination[] = [
  // One signal on its own.
  {
    name: 'known reader, bulk volume within its networks',
    all: ['bulk-volume-known-reader'],
    confidence: 'low',
  },
  { name: 'bulk volume above absolute limits', all: ['bulk-volume'], confidence: 'medium' },
  { name: 'first-ever reader of weights', all: ['first-reader'], confidence: 'low' },
  { name: 'weights read from an unexpected network', all: ['unexpected-network'], confidence: 'medium' },
  { name: 'approved artifact changed', all: ['artifact-modified'], confidence: 'medium' },
  { name: 'approved artifact copied', all: ['artifact-copied'], confidence: 'medium' },
  {
    name: "approved artifact in the other cloud's storage",
    all: ['artifact-in-other-cloud'],
    confidence: 'high',
  },
  { name: 'egress far above the baseline', all: ['egress-volume'], confidence: 'medium' },
  // Never seen, and many times what any external peer received before: humans judge, evidence pinned.
  {
    name: 'new external peer far above every earlier peer',
    all: ['new-external-peer'],
    confidence: 'medium',
  },
  { name: 'request rate', all: ['request-rate'], confidence: 'low' },
  { name: 'templated probing', all: ['near-duplicates'], confidence: 'medium' },
  { name: 'extraction prompts', all: ['extraction-pattern'], confidence: 'medium' },
  { name: 'injection attempt', all: ['injection-pattern'], confidence: 'medium' },
  {
    name: 'repeated injection attempts',
    all: ['injection-pattern'],
    atLeast: { kind: 'injection-pattern', count: 3 },
    confidence: 'high',
  },
  { name: 'canary token in a response', all: ['canary-in-response'], confidence: 'high' },
  // The caller's own prompt held the token: the answer repeats the user, humans judge.
  {
    name: "canary token echoed from the caller's own prompt",
    all: ['canary-echoed'],
    confidence: 'medium',
  },
  { name: 'secret in a response', all: ['secret-in-response'], confidence: 'medium' },
  // The caller's own prompt held the secret: the answer may repeat the user (a pasted key), or a
  // single-field prompt held a system prompt the secret was drawn out of. Humans judge; it never
  // corroborates an injection into containment.
  { name: "secret echoed from the caller's own prompt", all: ['secret-echoed'], confidence: 'medium' },
  { name: 'same address in both clouds', all: ['same-address-both-clouds'], confidence: 'low' },
  // A mass deletion may be a publishing pipeline's clean-up: humans judge it, with evidence pinned.
  { name: 'mass deletion of weights', all: ['mass-deletion'], confidence: 'medium' },
  // Reads with no credentials at all of a protected store are a leak by themselves (issue 7).
  { name: 'anonymous read of a protected store', all: ['anonymous-read'], confidence: 'high' },
  // Learned per-actor baselines (core/detect/baseline.ts): each alone is a hint, never containment.
  { name: "volume far above the actor's own baseline", all: ['above-own-baseline'], confidence: 'medium' },
  { name: 'a network the actor never used', all: ['new-network'], confidence: 'low' },
  { name: "outside the actor's learned hours", all: ['unusual-hours'], confidence: 'low' },
  // Corroboration.
  {
    name: "volume far above the actor's own baseline from a new network",
    all: ['above-own-baseline', 'new-network'],
    confidence: 'medium',
  },
  {
    name: "volume far above the actor's own baseline from a new network outside expected networks",
    all: ['above-own-baseline', 'new-network', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: "volume far above the actor's own baseline from an unexpected network",
    all: ['above-own-baseline', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: 'mass deletion of weights from an unexpected network',
    all: ['mass-deletion', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: 'bulk volume from an unexpected network',
    all: ['bulk-volume', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: 'known reader, bulk volume from outside its networks',
    all: ['bulk-volume-known-reader', 'unexpected-network'],
    confidence: 'high',
  },
  { name: 'first-ever reader with bulk volume', all: ['first-reader', 'bulk-volume'], confidence: 'medium' },
  {
    name: 'first-ever reader, bulk volume, unexpected network',
    all: ['first-reader', 'bulk-volume', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: 'approved artifact changed from an unexpected network',
    all: ['artifact-modified', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: 'approved artifact copied from an unexpected network',
    all: ['artifact-copied', 'unexpected-network'],
    confidence: 'high',
  },
  { name: 'egress to a new external peer', all: ['egress-volume', 'new-external-peer'], confidence: 'high' },
  {
    name: 'extraction prompts in templated probing',
    all: ['extraction-pattern', 'near-duplicates'],
    confidence: 'high',
  },
  {
    name: 'extraction prompts at a high rate',
    all: ['extraction-pattern', 'request-rate'],
    confidence: 'high',
  },
  {
    name: 'templated probing at a high rate',
    all: ['near-duplicates', 'request-rate'],
    confidence: 'medium',
  },
  {
    name: 'injection that drew a secret out',
    all: ['injection-pattern', 'secret-in-response'],
    confidence: 'high',
  },
  {
    name: 'weights read from an unexpected network by an address active in both clouds',
    all: ['same-address-both-clouds', 'unexpected-network'],
    confidence: 'high',
  },
  {
    name: 'egress to an address active in both clouds',
    all: ['same-address-both-clouds', 'egress-volume'],
    confidence: 'high',
  },
];

export function atLeastConfidence(c: Confidence, min: Confidence): boolean {
  return CONFIDENCES.indexOf(c) >= CONFIDENCES.indexOf(min);
}

/** The best row the signal kinds (with their summed counts) satisfy, or undefined. */
export function combine(
  counts: ReadonlyMap<SignalKind, number>,
  table: readonly Combination[] = COMBINATIONS,
): Combination | undefined {
  let best: Combination | undefined;
  for (const row of table) {
    if (!row.all.every((k) => counts.has(k))) continue;
    if (row.atLeast && (counts.get(row.atLeast.kind) ?? 0) < row.atLeast.count) continue;
    const better =
      !best ||
      CONFIDENCES.indexOf(row.confidence) > CONFIDENCES.indexOf(best.confidence) ||
      (row.confidence === best.confidence && row.all.length > best.all.length);
    if (better) best = row;
  }
  return best;
}
