import type { InferenceRecord } from './records.ts';
import { actorOf } from './rules/bulk-read.ts';
import { windowExpiry, windowStart } from './window.ts';
import { addAll, type WindowStore } from './window-store.ts';
import { windowedEntries } from './windowed-entries.ts';

/** Windows added to the store per batch call: bounds the flush's transient memory. */
const FLUSH_CHUNK = 1000;

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
 * Per actor (the caller's session or end user when the log names one, else the caller) and window counts for the inference rules: `at` returns the entry a record counts
 * into; `flush` adds every entry's counts to the window store (`<rule>|<caller>|<window>`) and
 * yields it with the window's totals across files and writers, then forgets the file's entries.
 * At most `maxEntries` are open: older ones spill, and `spilled` flushes those early (the scan
 * calls it between batches of records), so memory is bounded whatever the number of callers.
 */
export function callerWindows<C extends Record<string, number>, X>(
  rule: string,
  windowMinutes: number,
  init: () => { counts: C; extra: X },
  maxEntries?: number,
) {
  const entries = windowedEntries<CallerWindow<C, X>>(maxEntries);
  async function* flushEntries(batch: CallerWindow<C, X>[], state: WindowStore) {
    for (let i = 0; i < batch.length; i += FLUSH_CHUNK) {
      const chunk = batch.slice(i, i + FLUSH_CHUNK);
      const totals = await addAll(
        state,
        chunk.map((entry) => ({
          key: `${rule}|${actorOf(entry.r.caller)}|${entry.window}`,
          deltas: entry.counts,
          expiresAt: windowExpiry(entry.window, windowMinutes),
        })),
      );
      for (let j = 0; j < chunk.length; j++)
        yield [chunk[j], totals[j]] as [CallerWindow<C, X>, Readonly<Record<string, number>>];
    }
  }
  return {
    at(r: InferenceRecord): CallerWindow<C, X> {
      const window = windowStart(r.at, windowMinutes);
      const id = actorOf(r.caller);
      const entry = entries.get(id, window) ?? entries.add(id, { r, window, lastAt: r.at, ...init() });
      if (r.at > entry.lastAt) entry.lastAt = r.at;
      return entry;
    },
    /** Every entry (`only: 'spilled'`: just the spilled ones) with its window's totals. */
    flush(
      state: WindowStore,
      only?: 'spilled',
    ): AsyncGenerator<[CallerWindow<C, X>, Readonly<Record<string, number>>]> {
      return flushEntries(only === 'spilled' ? entries.spilled() : entries.take(), state);
    },
    hasSpilled: entries.hasSpilled,
  };
}
