import type { WriteOnceStore } from '../core/journal.ts';
import { memoryStore } from '../core/memory-store.ts';

/** The fake cloud's latency: every call answers after this long. */
export const LATENCY_MS = 40;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An in-memory write-once store whose every call answers after LATENCY_MS (the journal, evidence). */
export function slowStore(): WriteOnceStore {
  const store = memoryStore();
  const slow =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      await sleep(LATENCY_MS);
      return f(...a);
    };
  return { create: slow(store.create), get: slow(store.get), list: slow(store.list) };
}
