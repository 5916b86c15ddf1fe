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
