/**
 * A bounded memo for values the parsers would otherwise rebuild on every line: the same principal,
 * store or account recurs across thousands of records. Cleared, not evicted, when full: cheap, and
 * a log file's working set is far smaller than the bound.
 */
export function memo<T>(make: (key: string) => T, max = 10_000): (key: string) => T {
  const values = new Map<string, T>();
  return (key) => {
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
  const byFirst = new Map<string, { b: string; c: string; d: string; value: T }>();
  return (a, b, c = '', d = '') => {
    const hit = byFirst.get(a);
    if (hit !== undefined && hit.b === b && hit.c === c && hit.d === d) return hit.value;
    const value = make(a, b, c, d);
    if (byFirst.size >= max) byFirst.clear();
    byFirst.set(a, { b, c, d, value });
    return value;
  };
}
