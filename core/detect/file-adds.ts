import type { Config } from '../config.ts';
import { addCounters, type Histogram } from './robust-baseline.ts';

/** What `fileAddsOf` returns: one file's additions to the egress baselines. */
export type FileAdds = ReturnType<typeof fileAddsOf>;

/**
 * What this file added to each baseline key (bins) and to each internal peer's windows (bytes):
 * verdicts take it out, so they do not depend on when a window spilled. Internal peers' keys are
 * kept for at most max(maxStateEntries, 1024) peers a file; beyond, the oldest is forgotten (its
 * verdict then counts this file's earlier windows as history).
 */
export function fileAddsOf(config: Config) {
  const max = Math.max(config.detect.maxStateEntries, 1024);
  const adds = new Map<string, { bins: Histogram; bytes: Map<number, number> }>();
  const at = (key: string) => {
    let a = adds.get(key);
    if (!a) {
      if (adds.size >= max) adds.delete(adds.keys().next().value as string);
      a = { bins: new Map(), bytes: new Map() };
      adds.set(key, a);
    }
    return a;
  };
  return {
    add(key: string, deltas: Readonly<Record<string, number>>) {
      addCounters(at(key).bins, deltas);
    },
    addBytes(key: string, window: number, bytes: number) {
      const b = at(key).bytes;
      b.set(window, (b.get(window) ?? 0) + bytes);
    },
    bins: (key: string) => adds.get(key)?.bins,
    bytes: (key: string, window: number) => adds.get(key)?.bytes.get(window) ?? 0,
  };
}
