import type { WriteOnceStore } from './journal.ts';

/** A WriteOnceStore in memory: for the CLI's dry runs, tests and benchmarks. */
export function memoryStore(): WriteOnceStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    async create(key, body) {
      if (objects.has(key)) return false;
      objects.set(key, body);
      return true;
    },
    async get(key) {
      return objects.get(key);
    },
    async list(prefix) {
      return [...objects.keys()].filter((k) => k.startsWith(prefix));
    },
  };
}
