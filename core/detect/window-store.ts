/**
 * The state port detectors share across log files and concurrent invocations. Adapters:
 * memory (CLI, tests), DynamoDB (functions-aws/detect), Azure Table storage (functions-azure/detect).
 * Both operations must be atomic against concurrent writers: no count may be lost.
 */
export interface WindowStore {
  /**
   * Adds each delta to the named counters of `key` atomically and returns every counter of the key
   * after the add (the window's totals so far, across all writers).
   *
   * @example
   * await store.add('bulk-read|arn:aws:iam::1:role/x|1764064800000', { bytes: 1024, objects: 1 }, expiresAt)
   * // → { bytes: 8192, objects: 5 }
   */
  add(
    key: string,
    deltas: Readonly<Record<string, number>>,
    expiresAt: Date,
  ): Promise<Record<string, number>>;
  /**
   * Optional batch form of `add`, same semantics per item (atomic, no count lost), issued batched
   * or concurrently; returns each item's totals in order. Use `addAll`, which falls back to `add`.
   */
  addMany?(items: readonly WindowAdd[]): Promise<Record<string, number>[]>;
  /**
   * Optional batched read: every counter of each key (`{}` for a key never added to), in order,
   * without writing (no TTL refresh). Use `readAll`, which falls back to an add of nothing.
   */
  getMany?(keys: readonly string[]): Promise<Record<string, number>[]>;
  /** Remembers `member` under `set`; true only for the one writer that added it first. */
  remember(set: string, member: string): Promise<boolean>;
}

/** One `add` of a batch. */
export interface WindowAdd {
  key: string;
  deltas: Readonly<Record<string, number>>;
  expiresAt: Date;
}

/** Calls a store makes at once when it has no batch form (and the default for the adapters'). */
export const ADD_CONCURRENCY = 32;

/**
 * Adds every item to the store, batched (`addMany`) or `concurrency` calls at a time, and returns
 * each item's totals in order. A flush of 100k windows is thus ~100k/32 round trips, not 100k.
 * Items with the same key (a window spilled twice) are summed into one add and all get its totals
 * (one read-only object), so concurrent writes of one key never hand the earlier item the later totals.
 */
export async function addAll(
  store: WindowStore,
  items: readonly WindowAdd[],
  concurrency = ADD_CONCURRENCY,
): Promise<Readonly<Record<string, number>>[]> {
  if (items.length === 0) return [];
  const merged = new Map<string, WindowAdd>();
  // A key's deltas summed in one copy of its first item's, made at its second: a spill flush sends
  // thousands of small histogram moves to one baseline key, and a copy per item made that quadratic.
  const summed = new Map<string, { deltas: Record<string, number>; expiresAt: Date }>();
  for (const item of items) {
    const seen = merged.get(item.key);
    if (seen === undefined) {
      merged.set(item.key, item);
      continue;
    }
    let sum = summed.get(item.key);
    if (sum === undefined) {
      sum = { deltas: { ...seen.deltas }, expiresAt: seen.expiresAt };
      summed.set(item.key, sum);
    }
    const deltas = sum.deltas;
    for (const name of Object.keys(item.deltas))
      deltas[name] = (deltas[name] ?? 0) + (item.deltas[name] as number);
    if (item.expiresAt.getTime() > sum.expiresAt.getTime()) sum.expiresAt = item.expiresAt;
  }
  for (const [key, { deltas, expiresAt }] of summed) merged.set(key, { key, deltas, expiresAt });
  const unique = [...merged.values()];
  const totals = store.addMany
    ? await store.addMany(unique)
    : await mapConcurrent(unique, concurrency, (i) => store.add(i.key, i.deltas, i.expiresAt));
  // One copy per key, shared by the key's items (read-only): a copy per item copied a baseline's
  // every bin for each of the thousands of moves a spill flush sends to it.
  const byKey = new Map(unique.map((item, i) => [item.key, { ...totals[i] }]));
  return items.map((item) => byKey.get(item.key) as Readonly<Record<string, number>>);
}

/**
 * Reads every counter of `keys` (each key read once), batched (`getMany`) or, for a store without
 * it, by an add of nothing (which also restarts the key's TTL at `expiresAt`). Results in order.
 */
export async function readAll(
  store: WindowStore,
  keys: readonly string[],
  expiresAt: Date,
): Promise<Readonly<Record<string, number>>[]> {
  if (keys.length === 0) return [];
  const unique = [...new Set(keys)];
  const totals = store.getMany
    ? await store.getMany(unique)
    : await addAll(
        store,
        unique.map((key) => ({ key, deltas: {}, expiresAt })),
      );
  const byKey = new Map(unique.map((key, i) => [key, totals[i] ?? {}]));
  return keys.map((key) => byKey.get(key) as Readonly<Record<string, number>>);
}

/** `fn` over every item, at most `limit` at a time; results in input order; first error rejects. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Counter names the adapters accept: short identifiers, valid as DynamoDB and Azure Table names. */
export const COUNTER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * Counters one key may hold. An Azure Table entity has at most 252 properties besides PartitionKey,
 * RowKey and Timestamp, and the table adapter keeps two of its own (`key`, `expiresAt`). Azurite does
 * not enforce the limit, so the memory and table adapters check it themselves (DynamoDB's limit is
 * the 400 KB item: ~20,000 such counters).
 */
export const MAX_COUNTERS_PER_KEY = 250;

/**
 * Adds `deltas` to `totals` (in place) as a store with MAX_COUNTERS_PER_KEY does: a counter the key
 * does not hold yet is dropped once the key is full, never the whole add. A refused add would fail
 * the flush and lose every alert with it, so an actor spread over hundreds of networks in one
 * window (a proxy pool) must not be able to make Tourniquet's own state unwritable. The counters a
 * rule depends on (bytes, objects) are written first, at a key's first add, and are never dropped;
 * presence counters beyond the cap (networks) read as absent. Returns the names dropped.
 */
export function addCounters(
  totals: Record<string, number>,
  deltas: Readonly<Record<string, number>>,
): string[] {
  const dropped: string[] = [];
  let n = Object.keys(totals).length;
  for (const [name, value] of Object.entries(deltas)) {
    if (name in totals) totals[name] = (totals[name] ?? 0) + value;
    else if (n < MAX_COUNTERS_PER_KEY) {
      totals[name] = value;
      n++;
    } else dropped.push(name);
  }
  return dropped;
}

/** Throws unless every counter name is storable; detectors name counters, never users. */
export function checkCounterNames(deltas: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(deltas)) {
    if (!COUNTER_NAME.test(name)) throw new Error(`counter name ${JSON.stringify(name)} is not storable`);
    if (!Number.isFinite(value)) throw new Error(`counter ${name} must be a finite number`);
  }
}
