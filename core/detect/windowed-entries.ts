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
 * (the order the rule flushes them). A subject's records almost always fall in the window (and
 * store) of its previous one, so the usual lookup is by the id alone, whose hash the string keeps:
 * no key text is built and hashed per record, only when a subject changes window.
 *
 * Bounded: opening an entry beyond `maxEntries` spills the oldest open one. Spilled entries wait in
 * `spilled()` for the rule to add them to the WindowStore early (counts are additive, so a subject
 * that comes back simply opens a new entry and the store sums both); nothing is lost.
 */
export function windowedEntries<E extends WindowedEntry>(maxEntries = DEFAULT_MAX_ENTRIES) {
  if (!(maxEntries === Number.POSITIVE_INFINITY || (Number.isInteger(maxEntries) && maxEntries >= 1)))
    throw new Error('maxEntries must be a positive integer (or Infinity: unbounded, the reference)');
  let latest = new Map<string, E>();
  let all = new Map<string, E>();
  // Opening order, for spilling the oldest: an array with a moving head, not the Map's own order
  // (V8 walks over deleted slots to find a Map's first entry: quadratic under steady eviction).
  let order: { key: string; id: string; entry: E }[] = [];
  let head = 0;
  let spilled: E[] = [];
  // The key of the last lookup that missed, for the add that follows it (the rules' `get ?? add`),
  // and the window's text while it repeats: a new entry built and hashed its key twice, and
  // formatted the window's number each time.
  let missId = '';
  let missWindow = Number.NaN;
  let missDetail = '';
  let missKey = '';
  let windowNumber = Number.NaN;
  let windowText = '';
  const keyOf = (id: string, window: number, detail: string) => {
    if (id === missId && window === missWindow && detail === missDetail) return missKey;
    if (window !== windowNumber) {
      windowNumber = window;
      windowText = `${window}`;
    }
    return `${id}|${detail}|${windowText}`;
  };
  const spillOldest = () => {
    const oldest = order[head++];
    if (oldest === undefined) return;
    if (head > 1024 && head * 2 > order.length) {
      order = order.slice(head);
      head = 0;
    }
    all.delete(oldest.key);
    if (latest.get(oldest.id) === oldest.entry) latest.delete(oldest.id);
    spilled.push(oldest.entry);
  };
  return {
    get(id: string, window: number, detail = ''): E | undefined {
      const last = latest.get(id);
      if (last !== undefined && last.window === window && (last.detail ?? '') === detail) return last;
      // Also when `latest` has no entry: it was spilled while another window of the id stayed open.
      const key = keyOf(id, window, detail);
      const entry = all.get(key);
      if (entry !== undefined) latest.set(id, entry);
      else {
        missId = id;
        missWindow = window;
        missDetail = detail;
        missKey = key;
      }
      return entry;
    },
    add(id: string, entry: E): E {
      if (all.size >= maxEntries) spillOldest();
      const key = keyOf(id, entry.window, entry.detail ?? '');
      all.set(key, entry);
      if (Number.isFinite(maxEntries)) order.push({ key, id, entry });
      latest.set(id, entry);
      return entry;
    },
    /** Entries open now (spilled ones excluded). */
    get size(): number {
      return all.size;
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
      for (const entry of all.values()) batch.push(entry);
      spilled = [];
      latest = new Map();
      all = new Map();
      order = [];
      head = 0;
      return batch;
    },
  };
}

/**
 * Entries of one (subject, window, detail) merged (`merge` folds the later into the earlier): a
 * batch of spilled entries may hold a subject's window twice (spilled, reopened, spilled again),
 * and a rule that needs the total before and after its add must add it once.
 */
export function mergeEntries<E extends WindowedEntry>(
  batch: readonly E[],
  idOf: (e: E) => string,
  merge: (into: E, from: E) => void,
): E[] {
  const byKey = new Map<string, E>();
  for (const e of batch) {
    const key = `${idOf(e)}|${e.detail ?? ''}|${e.window}`;
    const seen = byKey.get(key);
    if (seen) merge(seen, e);
    else byKey.set(key, e);
  }
  return [...byKey.values()];
}
