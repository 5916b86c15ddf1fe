import { describe, expect, it } from 'vitest';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapLimit', () => {
  it('keeps the order of the items and never has more than `limit` calls in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    // Act
    const results = await mapLimit(items, 3, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
      return n * 2;
    });
    // Assess
    expect(valuesOrThrow(results)).toEqual(items.map((n) => n * 2));
    expect(most).toBe(3);
  });

  it('attempts every item when some fail, and valuesOrThrow throws the first failure in item order', async () => {
    const attempted: number[] = [];
    const results = await mapLimit([1, 2, 3, 4], 2, async (n) => {
      attempted.push(n);
      if (n % 2 === 0) throw new Error(`item ${n}`);
      return n;
    });
    expect(attempted.sort()).toEqual([1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(() => valuesOrThrow(results)).toThrow('item 2');
  });

  it('maps nothing to nothing', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
