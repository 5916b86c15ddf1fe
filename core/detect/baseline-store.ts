import {
  type ActorBaseline,
  BASELINE_DEFAULTS,
  type BaselineOptions,
  BYTES_BINS,
  baselineFromCounters,
  OBJECTS_BINS,
} from './baseline.ts';
import { addAll, readAll, type WindowAdd, type WindowStore } from './window-store.ts';

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
 * Adds `deltas` of many actors as `addBaselines` does and returns each actor's baseline counters
 * after the add, but writes only the parts a delta changes and reads the others in one batched
 * read (`readAll`: BatchGetItem on DynamoDB). A flush that moves a window's sample between bins
 * changes one or two parts of four, and one whose window changed no bin none. An unchanged part's
 * TTL is not restarted: every window restarts all four when it opens (it counts in each), so they
 * expire at most one window apart.
 */
export async function changeBaselines(
  store: WindowStore,
  deltas: ReadonlyMap<string, Readonly<Record<string, number>>>,
  expiresAt: Date,
): Promise<Map<string, Record<string, number>>> {
  const actors = [...deltas.keys()];
  const parts = actors.flatMap((a) => baselineAdds(a, deltas.get(a) ?? {}, expiresAt));
  const changed = parts.filter((p, i) => !isLoad(p, PARTS[i % PARTS.length]?.zero));
  const unchanged = parts.filter((p, i) => isLoad(p, PARTS[i % PARTS.length]?.zero));
  // Read first: a failed read then fails the flush before anything is written.
  const read = await readAll(
    store,
    unchanged.map((p) => p.key),
    expiresAt,
  );
  const added = await addAll(store, changed);
  const byKey = new Map<string, Readonly<Record<string, number>>>([
    ...changed.map((p, i) => [p.key, added[i] ?? {}] as const),
    ...unchanged.map((p, i) => [p.key, read[i] ?? {}] as const),
  ]);
  return new Map(
    actors.map((a, i) => [
      a,
      Object.assign(
        {},
        ...parts.slice(i * PARTS.length, (i + 1) * PARTS.length).map((p) => byKey.get(p.key)),
      ),
    ]),
  );
}

/** The add `baselineAdds` makes of a part with no delta: only its zero counter, at 0. */
const isLoad = (add: WindowAdd, zero: string | undefined) => {
  const names = Object.keys(add.deltas);
  return zero !== undefined && names.length === 1 && names[0] === zero && add.deltas[zero] === 0;
};

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
