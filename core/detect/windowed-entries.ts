/** What a rule keeps per subject and window (and detail: the store, for some rules). */
export interface WindowedEntry {
  window: number;
  /** A second part of the subject, when the rule counts per subject and something else. */
  detail?: string;
}

/**
 * Entries one rule holds open at most (`detect.maxStateEntries`): about 640 bytes each for the
 * largest (bulk-read), so ~3 MB per rule (~7 MB with garbage) whatever the number of distinct actors in a log file.
 */
export const DEFAULT_MAX_ENTRIES = 5000;

/**
 * A rule's file-local entries per (subject id, window[, detail]), in the order they were opened
 * (the order the rule flushes them). They are held by subject id, whose hash the string keeps: a
 * subject nearly always has one entry open, found and opened with no key text built and hashed;
 * only a subject with several open (windows or details) keys them by `detail|window` too. An id
 * or detail holding a '|' (an endpoint named `owner|address`) is found by the joined key.
 *
 * Bounded: opening an entry beyond `maxEntries` spills the oldest open one. Spilled entries wait in
 * `spilled()` for the rule to add them to the WindowStore early (counts are additive, so a subject
 * that comes back simply opens a new entry and the store sums both); nothing is lost.
 */
export function windowedEntries<E extends WindowedEntry>(maxEntries = DEFAULT_MAX_ENTRIES) {
  if (!(maxEntries === Number.POSITIVE_INFINITY || (Number.isInteger(maxEntries) && maxEntries >= 1)))
    throw new Error('maxEntries must be a positive integer (or Infinity: unbounded, the reference)');
  let open = new Map<string, E | Several<E>>();
  // Entries whose id or detail holds a '|', by the joined key `id|detail|window`: what identifies
  // an entry (two such entries may share it), as it always has.
  let joined = new Map<string, E>();
  // And each such id's last entry opened, looked up first: no key built for a repeat. Only those
  // opened under the id (a hit by the joined key may be another id's entry: 'a' with 'b|' is 'a|b').
  let latest = new Map<string, E>();
  let count = 0;
  // Opening order, for spilling the oldest: arrays with a moving head, not a Map's own order (V8
  // walks over deleted slots to find a Map's first entry: quadratic under steady eviction).
  let ids: string[] = [];
  let entries: E[] = [];
  let head = 0;
  let spilled: E[] = [];
  const spillOldest = () => {
    if (head >= entries.length) return;
    const id = ids[head] as string;
    const oldest = entries[head] as E;
    head++;
    if (head > 1024 && head * 2 > entries.length) {
      ids = ids.slice(head);
      entries = entries.slice(head);
      head = 0;
    }
    const detail = oldest.detail ?? '';
    if (piped(id, detail)) {
      joined.delete(`${id}|${detail}|${oldest.window}`);
      if (latest.get(id) === oldest) latest.delete(id);
    } else {
      const v = open.get(id);
      if (v === oldest) open.delete(id);
      else if (v instanceof Several) v.remove(oldest, id, open);
    }
    count--;
    spilled.push(oldest);
  };
  return {
    get(id: string, window: number, detail = ''): E | undefined {
      if (piped(id, detail)) {
        const last = latest.get(id);
        if (last !== undefined && last.window === window && (last.detail ?? '') === detail) return last;
        return joined.get(`${id}|${detail}|${window}`);
      }
      const v = open.get(id);
      if (v === undefined) return undefined;
      if (v instanceof Several) return v.find(window, detail);
      return v.window === window && (v.detail ?? '') === detail ? v : undefined;
    },
    add(id: string, entry: E): E {
      if (count >= maxEntries) spillOldest();
      const detail = entry.detail ?? '';
      if (piped(id, detail)) {
        joined.set(`${id}|${detail}|${entry.window}`, entry);
        latest.set(id, entry);
      } else {
        const v = open.get(id);
        if (v === undefined) open.set(id, entry);
        else if (v instanceof Several) v.add(entry);
        else open.set(id, new Several(v, entry));
      }
      count++;
      ids.push(id);
      entries.push(entry);
      return entry;
    },
    /** Entries open now (spilled ones excluded). */
    get size(): number {
      return count;
    },
    hasSpilled(): boolean {
      return spilled.length > 0;
    },
    /** The entries spilled since the last call, to be flushed early; they are forgotten here. */
    spilled(): E[] {
      const batch = spilled;
      spilled = [];
      return batch;
    },
    /** Every entry (spilled ones first, then open ones in the order opened); all are forgotten. */
    take(): E[] {
      const batch = spilled;
      for (let i = head; i < entries.length; i++) batch.push(entries[i] as E);
      spilled = [];
      open = new Map();
      joined = new Map();
      latest = new Map();
      count = 0;
      ids = [];
      entries = [];
      head = 0;
      return batch;
    },
  };
}

/** A subject's entries while it has several: keyed by `detail|window` (unambiguous: the window is a number), the last one found first. */
class Several<E extends WindowedEntry> {
  private readonly byKey = new Map<string, E>();
  private last: E;
  constructor(first: E, second: E) {
    this.byKey.set(subKey(first), first);
    this.byKey.set(subKey(second), second);
    this.last = second;
  }
  find(window: number, detail: string): E | undefined {
    const last = this.last;
    if (last.window === window && (last.detail ?? '') === detail) return last;
    const e = this.byKey.get(`${detail}|${window}`);
    if (e !== undefined) this.last = e;
    return e;
  }
  add(entry: E): void {
    this.byKey.set(subKey(entry), entry);
    this.last = entry;
  }
  /** Forgets `entry`; back to the one entry itself in `open` when one is left. */
  remove(entry: E, id: string, open: Map<string, E | Several<E>>): void {
    this.byKey.delete(subKey(entry));
    const first = this.byKey.values().next().value as E;
    if (this.byKey.size === 1) open.set(id, first);
    else if (this.last === entry) this.last = first;
  }
  /** The entry of (window, detail), or `entry` added as it. */
  findOrAdd(entry: E): E | undefined {
    const key = subKey(entry);
    const seen = this.byKey.get(key);
    if (seen === undefined) this.byKey.set(key, entry);
    return seen;
  }
}

const piped = (id: string, detail: string) => id.includes('|') || detail.includes('|');

const subKey = (e: WindowedEntry) => `${e.detail ?? ''}|${e.window}`;

/**
 * Entries of one (subject, window, detail) merged (`merge` folds the later into the earlier): a
 * batch of spilled entries may hold a subject's window twice (spilled, reopened, spilled again),
 * and a rule that needs the total before and after its add must add it once. Grouped by subject id
 * as `windowedEntries` holds them: a key text only for a subject with several entries.
 */
export function mergeEntries<E extends WindowedEntry>(
  batch: readonly E[],
  idOf: (e: E) => string,
  merge: (into: E, from: E) => void,
): E[] {
  const out: E[] = [];
  const byId = new Map<string, E | Several<E>>();
  const joined = new Map<string, E>();
  for (const e of batch) {
    const id = idOf(e);
    if (piped(id, e.detail ?? '')) {
      const key = `${id}|${e.detail ?? ''}|${e.window}`;
      const seen = joined.get(key);
      if (seen !== undefined) merge(seen, e);
      else {
        joined.set(key, e);
        out.push(e);
      }
      continue;
    }
    const v = byId.get(id);
    if (v === undefined) byId.set(id, e);
    else if (v instanceof Several) {
      const seen = v.findOrAdd(e);
      if (seen !== undefined) {
        merge(seen, e);
        continue;
      }
    } else if (v.window === e.window && (v.detail ?? '') === (e.detail ?? '')) {
      merge(v, e);
      continue;
    } else byId.set(id, new Several(v, e));
    out.push(e);
  }
  return out;
}
