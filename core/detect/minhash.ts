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
const BASE = 0x01000193;
/** BASE^SHINGLE mod 2^32: what the character leaving the window contributed. */
const BASE_POW = [1, 2, 3, 4, 5].reduce((p) => Math.imul(p, BASE), 1);

export type Sketch = Uint32Array;

/** ASCII characters as the sketch reads them: lower-cased, whitespace (tab to CR, space) as -1. */
const ASCII = Int16Array.from({ length: 128 }, (_, c) =>
  c === 32 || (c >= 9 && c <= 13) ? -1 : c >= 65 && c <= 90 ? c + 32 : c,
);

export function sketch(text: string): Sketch {
  const bins = new Uint32Array(SKETCH_BINS);
  sketchInto(text, bins);
  return bins;
}

/**
 * The sketch of `text`, written into `bins` (SKETCH_BINS words): the varied-prompts rule sketches
 * every prompt into one scratch array and copies only what it keeps.
 */
export function sketchInto(text: string, bins: Uint32Array): void {
  bins.fill(EMPTY);
  // Rolling polynomial hash over the lower-cased text with whitespace runs as one space, without
  // building the normalized string: each 5-gram costs O(1). The last five characters live in
  // locals (w4 is the one leaving the window), not in an array.
  let h = 0;
  let n = 0;
  let space = true;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let w4 = 0;
  const end = Math.min(text.length, MAX_CHARS);
  for (let i = 0; i < end; i++) {
    let c = text.charCodeAt(i);
    // ASCII through a table (lower case, or -1 for whitespace); beyond it, NBSP or toLowerCase.
    if (c < 128) c = ASCII[c] as number;
    else if (c === 160) c = -1;
    else c = text[i]?.toLowerCase().charCodeAt(0) ?? c;
    if (c === -1) {
      if (space) continue;
      space = true;
      c = 32;
    } else space = false;
    // w4 is 0 until five characters were seen, so the subtraction changes nothing before then.
    h = (Math.imul(h, BASE) + c - Math.imul(w4, BASE_POW)) | 0;
    w4 = w3;
    w3 = w2;
    w2 = w1;
    w1 = w0;
    w0 = c;
    if (++n >= SHINGLE) {
      // mix and place, written out: this line runs for every character of every prompt.
      let x = h >>> 0;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
      x = (x ^ (x >>> 16)) >>> 0;
      const value = x & 0x07ffffff;
      if (value < (bins[x >>> 27] as number)) bins[x >>> 27] = value;
    }
  }
  if (n < SHINGLE) place(bins, mix(h >>> 0));
  densify(bins);
}

/** Do the sketches agree on at least `need` bins? Stops as soon as the answer is known. */
export function atLeastSame(a: Sketch, b: Sketch, need: number): boolean {
  return atLeastSameAt(a, 0, b, need);
}

/** atLeastSame for the sketch stored at `offset` in a flat array of sketches. */
export function atLeastSameAt(store: Uint32Array, offset: number, b: Sketch, need: number): boolean {
  let same = 0;
  for (let i = 0; i < SKETCH_BINS; i++) {
    if (store[offset + i] === b[i]) {
      if (++same >= need) return true;
    } else if (same + SKETCH_BINS - 1 - i < need) return false;
  }
  return same >= need;
}

/** Estimated Jaccard similarity of the two texts' shingle sets, 0–1. */
export function similarity(a: Sketch, b: Sketch): number {
  let same = 0;
  for (let i = 0; i < SKETCH_BINS; i++) if (a[i] === b[i]) same++;
  return same / SKETCH_BINS;
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
