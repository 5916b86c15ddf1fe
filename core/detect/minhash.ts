/**
 * One-permutation MinHash (Li, Owen & Zhang 2012, with rotation densification) over character
 * 5-grams: one hash per shingle instead of one per shingle *and* permutation, so a prompt costs a
 * single pass. The fraction of equal bins of two sketches estimates the Jaccard similarity of their
 * shingle sets.
 */
export const SKETCH_BINS = 32;
const SHINGLE = 5;
/** Longer prompts are sketched on their first characters: extraction prompts vary near the start too. */
const MAX_CHARS = 4096;
const EMPTY = 0xffffffff;

export type Sketch = Uint32Array;

export function sketch(text: string): Sketch {
  const s = normalize(text);
  const bins = new Uint32Array(SKETCH_BINS).fill(EMPTY);
  const n = Math.min(s.length, MAX_CHARS);
  if (n < SHINGLE) {
    place(bins, mix(hashRange(s, 0, n)));
  } else {
    for (let i = 0; i + SHINGLE <= n; i++) place(bins, mix(hashRange(s, i, i + SHINGLE)));
  }
  densify(bins);
  return bins;
}

/** Estimated Jaccard similarity of the two texts' shingle sets, 0–1. */
export function similarity(a: Sketch, b: Sketch): number {
  let same = 0;
  for (let i = 0; i < SKETCH_BINS; i++) if (a[i] === b[i]) same++;
  return same / SKETCH_BINS;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3 finalizer: spreads FNV's weak low bits over the word. */
function mix(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function place(bins: Uint32Array, h: number): void {
  const bin = h >>> 27;
  const value = h & 0x07ffffff;
  if (value < (bins[bin] ?? EMPTY)) bins[bin] = value;
}

/** Empty bins borrow the next non-empty bin's value (offset by the distance) so sketches stay comparable. */
function densify(bins: Uint32Array): void {
  for (let i = 0; i < SKETCH_BINS; i++) {
    if (bins[i] !== EMPTY) continue;
    for (let d = 1; d < SKETCH_BINS; d++) {
      const v = bins[(i + d) % SKETCH_BINS] ?? EMPTY;
      if (v !== EMPTY && v < 0x08000000) {
        bins[i] = v + d * 0x08000000;
        break;
      }
    }
  }
}
