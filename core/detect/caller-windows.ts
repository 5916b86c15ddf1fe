import type { InferenceRecord } from './records.ts';
import { actorOf } from './rules/bulk-read.ts';
import { windowExpiry, windowStart } from './window.ts';
import type { WindowStore } from './window-store.ts';
import { windowedEntries } from './windowed-entries.ts';

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
 */
export function callerWindows<C extends Record<string, number>, X>(
  rule: string,
  windowMinutes: number,
  init: () => { counts: C; extra: X },
) {
  const entries = windowedEntries<CallerWindow<C, X>>();
  return {
    at(r: InferenceRecord): CallerWindow<C, X> {
      const window = windowStart(r.at, windowMinutes);
      const id = actorOf(r.caller);
      const entry = entries.get(id, window) ?? entries.add(id, { r, window, lastAt: r.at, ...init() });
      if (r.at > entry.lastAt) entry.lastAt = r.at;
      return entry;
    },
    async *flush(state: WindowStore): AsyncGenerator<[CallerWindow<C, X>, Record<string, number>]> {
      for (const entry of entries.take()) {
        const key = `${rule}|${actorOf(entry.r.caller)}|${entry.window}`;
        yield [entry, await state.add(key, entry.counts, windowExpiry(entry.window, windowMinutes))];
      }
    },
  };
}
