import type { InferenceRecord } from './records.ts';
import { windowExpiry, windowStart } from './window.ts';
import type { WindowStore } from './window-store.ts';

export interface CallerWindow<C extends Record<string, number>, X> {
  /** The first record of the caller in this window: caller, cloud, account, endpoint. */
  r: InferenceRecord;
  window: number;
  lastAt: number;
  /** What is added to the window store at flush. */
  counts: C;
  /** File-local evidence (examples, technique names). */
  extra: X;
}

/**
 * Per caller and window counts for the inference rules: `at` returns the entry a record counts
 * into; `flush` adds every entry's counts to the window store (`<rule>|<caller>|<window>`) and
 * yields it with the window's totals across files and writers, then forgets the file's entries.
 */
export function callerWindows<C extends Record<string, number>, X>(
  rule: string,
  windowMinutes: number,
  init: () => { counts: C; extra: X },
) {
  // Entries in the order they were opened (the order of the flush), and each caller's latest one:
  // a caller's records almost always fall in the window of its previous one, so the usual lookup
  // is by the caller id alone, whose hash the string keeps, with no key built per record.
  let entries: CallerWindow<C, X>[] = [];
  let latest = new Map<string, CallerWindow<C, X>>();
  let older = new Map<string, CallerWindow<C, X>>();
  return {
    at(r: InferenceRecord): CallerWindow<C, X> {
      const window = windowStart(r.at, windowMinutes);
      const id = r.caller.id;
      let entry = latest.get(id);
      if (entry === undefined || entry.window !== window) {
        entry = otherWindow(id, window, entry, r);
        latest.set(id, entry);
      }
      if (r.at > entry.lastAt) entry.lastAt = r.at;
      return entry;
    },
    async *flush(state: WindowStore): AsyncGenerator<[CallerWindow<C, X>, Record<string, number>]> {
      const batch = entries;
      entries = [];
      latest = new Map();
      older = new Map();
      for (const entry of batch) {
        const key = `${rule}|${entry.r.caller.id}|${entry.window}`;
        yield [entry, await state.add(key, entry.counts, windowExpiry(entry.window, windowMinutes))];
      }
    },
  };

  /** The caller's entry for a window other than its latest one: found among the older, or opened. */
  function otherWindow(
    id: string,
    window: number,
    previous: CallerWindow<C, X> | undefined,
    r: InferenceRecord,
  ): CallerWindow<C, X> {
    if (previous) older.set(`${id}|${previous.window}`, previous);
    const key = `${id}|${window}`;
    let entry = older.get(key);
    if (entry === undefined) {
      entry = { r, window, lastAt: r.at, ...init() };
      entries.push(entry);
    } else older.delete(key);
    return entry;
  }
}
