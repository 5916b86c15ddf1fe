/**
 * Caches the parsers keep (memos of principals and stores, the last text read) live in a
 * **cache scope**: each scan session has its own (core/detect/scan.ts runs its parsing inside it),
 * so two sessions never share a cached object or a "last seen" value, and a session's caches go
 * when it does. Code that parses outside any session (tools, tests calling a format directly)
 * uses the process scope.
 *
 * @example
 * const lastSeen = scoped(() => ({ text: '' })); // module level: declares a slot, holds nothing
 * inScope(new CacheScope(), () => lastSeen().text = 'x'); // this scope's own slot
 */
export class CacheScope {
  /** The scope's value of each slot, by the slot's number; created on first use. */
  readonly values: unknown[] = [];
}

let slots = 0;
let current = new CacheScope();

/** Runs `run` (synchronous) with `scope` as the current cache scope. */
export function inScope<T>(scope: CacheScope, run: () => T): T {
  const outer = current;
  current = scope;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** A slot: each cache scope gets its own value, made on first use by `make`. */
export function scoped<T>(make: () => T): () => T {
  const slot = slots++;
  return () => {
    const values = current.values;
    let value = values[slot] as T | undefined;
    if (value === undefined) {
      value = make();
      values[slot] = value;
    }
    return value;
  };
}

/**
 * A bounded memo for values the parsers would otherwise rebuild on every line: the same principal,
 * store or account recurs across thousands of records. Cleared, not evicted, when full: cheap, and
 * a log file's working set is far smaller than the bound. One map per cache scope.
 */
export function memo<T>(make: (key: string) => T, max = 10_000): (key: string) => T {
  const map = scoped(() => new Map<string, T>());
  return (key) => {
    const values = map();
    let value = values.get(key);
    if (value === undefined) {
      value = make(key);
      if (values.size >= max) values.clear();
      values.set(key, value);
    }
    return value;
  };
}

/**
 * A memo in front of a memo whose key is made of parts (`${a}|${b}|${c}…`): looked up by the first
 * part alone, whose hash the string keeps, and checked on the others, so the joined key is built
 * and hashed only when a value changes. Same values as `make`: it only skips repeated calls.
 */
export function memoByFirst<T>(
  make: (a: string, b: string, c: string, d: string) => T,
  max = 10_000,
): (a: string, b: string, c?: string, d?: string) => T {
  const map = scoped(() => new Map<string, { b: string; c: string; d: string; value: T }>());
  return (a, b, c = '', d = '') => {
    const byFirst = map();
    const hit = byFirst.get(a);
    if (hit !== undefined && hit.b === b && hit.c === c && hit.d === d) return hit.value;
    const value = make(a, b, c, d);
    if (byFirst.size >= max) byFirst.clear();
    byFirst.set(a, { b, c, d, value });
    return value;
  };
}
