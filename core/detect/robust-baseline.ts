/**
 * A robust baseline of byte counts in bounded memory: a histogram over log2(bytes) with 8 bins per
 * doubling (±4.5 % resolution). Its counters merge by addition, so the same histogram can live in
 * a WindowStore and grow across files and writers. Median and MAD are taken in log space because
 * transfer sizes are roughly log-normal: one huge flow cannot drag the baseline with it.
 */
export const BINS_PER_DOUBLING = 8;

export function binOf(bytes: number): number {
  return bytes < 1 ? 0 : Math.floor(Math.log2(bytes) * BINS_PER_DOUBLING) + 1;
}

/** Counter name of a bin, as stored (`b0`…`b400`). */
export const binName = (bin: number) => `b${bin}`;

export type Histogram = Map<number, number>;

export function addToHistogram(h: Histogram, bytes: number): void {
  const b = binOf(bytes);
  h.set(b, (h.get(b) ?? 0) + 1);
}

/** The histogram as store counters. */
export function histogramCounters(h: Histogram): Record<string, number> {
  return Object.fromEntries([...h].map(([b, n]) => [binName(b), n]));
}

/** Store counters back to a histogram; other counters are ignored. */
export function histogramFrom(counters: Readonly<Record<string, number>>): Histogram {
  const h: Histogram = new Map();
  for (const [name, n] of Object.entries(counters)) if (/^b\d+$/.test(name)) h.set(Number(name.slice(1)), n);
  return h;
}

export interface Baseline {
  samples: number;
  /** log2 of the median byte count. */
  medianLog2: number;
  /** Median absolute deviation of log2 bytes (at least half a bin, so a flat baseline still has a scale). */
  madLog2: number;
}

export function baselineOf(h: Histogram): Baseline | undefined {
  // Bins a moved sample left (binMove) stay in the store at 0.
  const bins = [...h].filter(([, n]) => n > 0);
  const samples = bins.reduce((a, [, n]) => a + n, 0);
  if (samples === 0) return undefined;
  const medianLog2 = weightedMedian(
    bins.map(([b, n]) => [centerLog2(b), n]),
    samples,
  );
  const deviations = bins.map(([b, n]) => [Math.abs(centerLog2(b) - medianLog2), n] as [number, number]);
  const madLog2 = Math.max(weightedMedian(deviations, samples), 0.5 / BINS_PER_DOUBLING);
  return { samples, medianLog2, madLog2 };
}

/** Robust z-score of a byte count against the baseline. */
export function robustZ(bytes: number, baseline: Baseline): number {
  return (Math.log2(Math.max(bytes, 1)) - baseline.medianLog2) / (1.4826 * baseline.madLog2);
}

function centerLog2(bin: number): number {
  return bin === 0 ? 0 : (bin - 0.5) / BINS_PER_DOUBLING;
}

function weightedMedian(values: [number, number][], total: number): number {
  values.sort((a, b) => a[0] - b[0]);
  let seen = 0;
  for (const [v, n] of values) {
    seen += n;
    if (seen * 2 >= total) return v;
  }
  return values.at(-1)?.[0] ?? 0;
}

/**
 * Counters that move one sample of a growing total from the bin of `before` to the bin of `after`
 * (just adds it when `before` is 0). A window total that grows in several adds, across files,
 * spills and writers, thus leaves exactly one sample, in the bin of its final total: each add
 * returns the total after it atomically, so the moves chain from 0 to the final total.
 */
export function binMove(before: number, after: number): Record<string, number> {
  const to = binOf(after);
  if (before <= 0) return { [binName(to)]: 1 };
  const from = binOf(before);
  // The same bin: a zero add, so the store still hands the histogram back.
  return from === to ? { [binName(to)]: 0 } : { [binName(from)]: -1, [binName(to)]: 1 };
}

/** Adds store counters (bins) into a file-local histogram. */
export function addCounters(h: Histogram, counters: Readonly<Record<string, number>>): void {
  for (const [b, n] of histogramFrom(counters)) h.set(b, (h.get(b) ?? 0) + n);
}

/** `h` without `local` (what this file added): the history before it, whatever the add order. */
export function without(h: Histogram, local: Histogram | undefined): Histogram {
  if (!local) return h;
  const out = new Map(h);
  for (const [b, n] of local) out.set(b, (out.get(b) ?? 0) - n);
  return out;
}

/** The upper edge, in bytes, of the highest bin holding a sample (the largest total seen, +4.5 %). */
export function largestOf(h: Histogram): number {
  let top = -1;
  for (const [b, n] of h) if (n > 0 && b > top) top = b;
  return top < 0 ? 0 : top === 0 ? 1 : 2 ** (top / BINS_PER_DOUBLING);
}
