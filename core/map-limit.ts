/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the order of results.
 * Every item is attempted even when some fail (a partial copy is still evidence); the outcomes are
 * returned as settled results for the caller to report (or to `valuesOrThrow`).
 *
 * @example
 * const heads = valuesOrThrow(await mapLimit(keys, 16, (key) => headObject(s3, bucket, key)));
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** The values of settled results, or the first failure thrown (after every item was attempted). */
export function valuesOrThrow<R>(results: readonly PromiseSettledResult<R>[]): R[] {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<R>).value);
}
