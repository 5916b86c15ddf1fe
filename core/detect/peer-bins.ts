import { BYTES_BINS } from './baseline.ts';
import { binName } from './robust-baseline.ts';

/**
 * The egress peer histograms (`egress-peers|…`, `egress-own|…`) keep the baselines' byte bins
 * (BYTES_BINS: 4 KiB to ≈10.5 TB, one store key's MAX_COUNTERS_PER_KEY): a window total outside
 * counts in the edge bin, so a key never holds more bins than the store keeps (the top bins,
 * the large windows, were the ones dropped).
 */
export const peerBin = (bin: number) => Math.min(Math.max(bin, BYTES_BINS.min), BYTES_BINS.max);

/** Bin counters (`b<bin>`) moved into the capped bins, summed; other counters unchanged. */
export function capBinCounters(deltas: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(deltas)) {
    const capped = /^b\d+$/.test(name) ? binName(peerBin(Number(name.slice(1)))) : name;
    out[capped] = (out[capped] ?? 0) + n;
  }
  return out;
}
