import { getOrCreate } from './get-or-create.ts';
import { addCounters, checkCounterNames, type WindowStore } from './window-store.ts';

/**
 * A WindowStore in memory: one process only (the CLI, tests, benchmarks). Expiry is ignored; the
 * counters of a key are capped as in Azure Table storage (MAX_COUNTERS_PER_KEY, see addCounters).
 */
export function memoryWindowStore(): WindowStore & { counters: Map<string, Record<string, number>> } {
  const counters = new Map<string, Record<string, number>>();
  const sets = new Map<string, Set<string>>();
  return {
    counters,
    async add(key, deltas) {
      checkCounterNames(deltas);
      const totals = { ...counters.get(key) };
      // Capped as the table adapter is, so unit tests see what Azure keeps.
      addCounters(totals, deltas);
      counters.set(key, totals);
      return { ...totals };
    },
    async remember(set, member) {
      const members = getOrCreate(sets, set, () => new Set());
      if (members.has(member)) return false;
      members.add(member);
      return true;
    },
  };
}
