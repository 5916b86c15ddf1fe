/**
 * A map of at most `max` entries that forgets the least recently used one when full: for the rules'
 * lookups keyed by actor (a log file may name a million sessions). `get` counts as a use.
 *
 * Eviction follows the map's own order (a use moves the entry to the end) through one live
 * iterator: it resumes where the last eviction stopped, instead of walking from the start over the
 * deleted slots every time (quadratic under steady eviction, see windowed-entries.ts).
 */
export function lru<K, V>(max: number) {
  if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max >= 1)))
    throw new Error('an LRU holds at least one entry (Infinity: unbounded, the reference)');
  const map = new Map<K, V>();
  // Made at the first eviction: an iterator keeps the tables the map outgrew until it next moves.
  let oldest: MapIterator<K> | undefined;
  return {
    get(key: K): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key: K, value: V): void {
      if (map.has(key)) map.delete(key);
      else if (map.size >= max) {
        // Every live entry lies ahead of the iterator (those behind it were evicted, used ones
        // moved to the end), so its next key is the least recently used.
        oldest ??= map.keys();
        let next = oldest.next();
        if (next.done) {
          oldest = map.keys();
          next = oldest.next();
        }
        if (!next.done) map.delete(next.value);
      }
      map.set(key, value);
    },
    get size(): number {
      return map.size;
    },
    /** Keys from least to most recently used. */
    keys(): K[] {
      return [...map.keys()];
    },
  };
}

/** `make` memoized in an LRU of `max` entries: the same answers, `make` called again for keys it forgot. */
export function lruMemo<K, V>(make: (key: K) => V, max: number): (key: K) => V {
  const cache = lru<K, V>(max);
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
}
