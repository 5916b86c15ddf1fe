/** What a rule keeps per subject and window (and detail: the store, for some rules). */
export interface WindowedEntry {
  window: number;
  /** A second part of the subject, when the rule counts per subject and something else. */
  detail?: string;
}

/**
 * A rule's file-local entries per (subject id, window[, detail]), in the order they were opened
 * (the order the rule flushes them). A subject's records almost always fall in the window (and
 * store) of its previous one, so the usual lookup is by the id alone, whose hash the string keeps:
 * no key text is built and hashed per record, only when a subject changes window.
 */
export function windowedEntries<E extends WindowedEntry>() {
  let order: E[] = [];
  let latest = new Map<string, E>();
  let all = new Map<string, E>();
  const keyOf = (id: string, window: number, detail: string) => `${id}|${detail}|${window}`;
  return {
    get(id: string, window: number, detail = ''): E | undefined {
      const last = latest.get(id);
      if (last === undefined) return undefined;
      if (last.window === window && (last.detail ?? '') === detail) return last;
      const entry = all.get(keyOf(id, window, detail));
      if (entry !== undefined) latest.set(id, entry);
      return entry;
    },
    add(id: string, entry: E): E {
      order.push(entry);
      all.set(keyOf(id, entry.window, entry.detail ?? ''), entry);
      latest.set(id, entry);
      return entry;
    },
    /** Every entry in the order it was opened; the file's entries are forgotten. */
    take(): E[] {
      const batch = order;
      order = [];
      latest = new Map();
      all = new Map();
      return batch;
    },
  };
}
