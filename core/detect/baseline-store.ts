import {
  type ActorBaseline,
  BASELINE_DEFAULTS,
  type BaselineOptions,
  BYTES_BINS,
  baselineFromCounters,
  OBJECTS_BINS,
} from './baseline.ts';
import { addAll, type WindowAdd, type WindowStore } from './window-store.ts';

// How an actor baseline (baseline.ts) lives in a WindowStore: four keys, loaded and added in batches.

/** The store key of an actor's baseline. Actors are opaque ids; the key holds no counter of theirs. */
export const baselineKey = (actor: string) => `baseline|${actor}`;

/**
 * A baseline is stored in four keys, each within MAX_COUNTERS_PER_KEY (an Azure Table entity holds
 * at most 252 properties): windows and networks (1 + 32, room for racing writers), bytes bins (250),
 * objects bins (250), hours of the week (168). Each part has a zero counter, one of its own names,
 * that loads it (an add of 0) without adding a property.
 */
const PARTS = [
  { key: baselineKey, zero: 'w', holds: (name: string) => !/^[boh]\d+$/.test(name) },
  {
    key: (a: string) => `baseline-bytes|${a}`,
    zero: `b${BYTES_BINS.min}`,
    holds: (name: string) => /^b\d+$/.test(name),
  },
  {
    key: (a: string) => `baseline-objects|${a}`,
    zero: `o${OBJECTS_BINS.min}`,
    holds: (name: string) => /^o\d+$/.test(name),
  },
  { key: (a: string) => `baseline-hours|${a}`, zero: 'h0', holds: (name: string) => /^h\d+$/.test(name) },
] as const;

/** The adds that store `deltas` of `actor` (none: load it), one per part, in PARTS order. */
export function baselineAdds(
  actor: string,
  deltas: Readonly<Record<string, number>>,
  expiresAt: Date,
): WindowAdd[] {
  return PARTS.map((part) => {
    const mine = Object.fromEntries(Object.entries(deltas).filter(([name]) => part.holds(name)));
    return {
      key: part.key(actor),
      deltas: Object.keys(mine).length ? mine : { [part.zero]: 0 },
      expiresAt,
    };
  });
}

/** Stores (or loads, with empty deltas) the baselines of many actors in one batched round. */
export async function addBaselines(
  store: WindowStore,
  deltas: ReadonlyMap<string, Readonly<Record<string, number>>>,
  expiresAt: Date,
): Promise<Map<string, Record<string, number>>> {
  const actors = [...deltas.keys()];
  const totals = await addAll(
    store,
    actors.flatMap((a) => baselineAdds(a, deltas.get(a) ?? {}, expiresAt)),
  );
  return new Map(
    actors.map((a, i) => [a, Object.assign({}, ...totals.slice(i * PARTS.length, (i + 1) * PARTS.length))]),
  );
}

/**
 * Loads the baselines of `actors` (at most `maxEntries`, the rest are not judged) in one batched
 * round of the store: an add of zero, which every adapter supports and which returns the totals.
 */
export async function loadBaselines(
  store: WindowStore,
  actors: readonly string[],
  now: Date,
  maxEntries: number,
  options: BaselineOptions = BASELINE_DEFAULTS,
): Promise<Map<string, ActorBaseline>> {
  const picked = [...new Set(actors)].slice(0, maxEntries);
  const totals = await addBaselines(store, new Map(picked.map((a) => [a, {}])), expiry(now, options));
  return new Map(picked.map((a) => [a, baselineFromCounters(totals.get(a) ?? {})]));
}

/** Saves learned deltas (from `learn`) in one batched round; the TTL restarts with each window. */
export async function saveBaselines(
  store: WindowStore,
  deltas: ReadonlyMap<string, Record<string, number>>,
  now: Date,
  options: BaselineOptions = BASELINE_DEFAULTS,
): Promise<void> {
  await addBaselines(store, deltas, expiry(now, options));
}

const expiry = (now: Date, o: BaselineOptions) => new Date(now.getTime() + o.ttlDays * 86_400_000);
