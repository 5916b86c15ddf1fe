import { binOf, type Histogram } from './robust-baseline.ts';

/**
 * One sample per entry, in the bin of its bytes, summed per key (in the order keys first appear):
 * what the moves `{ b<bin>: 1 }` of every entry would add to each key, as one histogram a key. A
 * flush of thousands of small peer windows to one endpoint's baseline then builds one move, not one
 * object (and one counter text) per window.
 */
export function binSamples<E>(
  entries: readonly E[],
  keyOf: (e: E) => string,
  bytesOf: (e: E) => number,
): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  let lastKey = '';
  let last: Histogram | undefined;
  for (const e of entries) {
    const key = keyOf(e);
    let h = key === lastKey ? last : out.get(key);
    if (h === undefined) {
      h = new Map();
      out.set(key, h);
    }
    lastKey = key;
    last = h;
    const b = binOf(bytesOf(e));
    h.set(b, (h.get(b) ?? 0) + 1);
  }
  return out;
}

/** Adds `from`'s counts into `into`, bin by bin. */
export function addBins(into: Histogram, from: Histogram): void {
  for (const [b, n] of from) into.set(b, (into.get(b) ?? 0) + n);
}
