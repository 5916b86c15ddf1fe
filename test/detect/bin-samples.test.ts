import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBins, binSamples } from '../../core/detect/bin-samples.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import {
  addCounters,
  binName,
  binOf,
  type Histogram,
  histogramCounters,
} from '../../core/detect/robust-baseline.ts';
import { addAll } from '../../core/detect/window-store.ts';

// binSamples (one move per key) against the plain form it replaces in the egress rules' flushes:
// one move `{ b<bin>: 1 }` per window, each added to the store and to the file's histogram.

const EXPIRES = new Date('2027-01-01T00:00:00Z');
const entries = fc.array(
  fc.record({
    detail: fc.constantFrom('eni-a', 'eni-b|10.0.0.1', 'vm-c', ''),
    bytes: fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 0, max: 2 ** 42 })),
  }),
  { maxLength: 300 },
);
// What the store held before the flush: bins of the same keys, and other counters.
const prior = fc.array(
  fc.record({
    detail: fc.constantFrom('eni-a', 'eni-b|10.0.0.1', 'vm-c', ''),
    deltas: fc.dictionary(
      fc.oneof(fc.integer({ min: 0, max: 400 }).map(binName), fc.constantFrom('flows', 'n')),
      fc.integer({ min: 0, max: 50 }),
    ),
  }),
  { maxLength: 10 },
);
type Entry = { detail: string; bytes: number };
const keyOf = (detail: string) => `egress-peers|${detail}`;

describe('binSamples', () => {
  it('adds to the store and to the file histogram exactly what one move per window adds', async () => {
    await fc.assert(
      fc.asyncProperty(entries, prior, async (batch, before) => {
        const plainStore = memoryWindowStore();
        const fastStore = memoryWindowStore();
        for (const store of [plainStore, fastStore])
          for (const p of before) await store.add(keyOf(p.detail), p.deltas, EXPIRES);

        const plainMoves = batch.map((e: Entry) => ({
          key: keyOf(e.detail),
          deltas: { [binName(binOf(e.bytes))]: 1 },
          expiresAt: EXPIRES,
        }));
        const plainTotals = await addAll(plainStore, plainMoves);
        const plainBins = new Map<string, Histogram>();
        for (const m of plainMoves) {
          const h = plainBins.get(m.key) ?? new Map();
          addCounters(h, m.deltas);
          plainBins.set(m.key, h);
        }

        const samples = binSamples(
          batch,
          (e: Entry) => e.detail,
          (e: Entry) => e.bytes,
        );
        const fastMoves = [...samples].map(([detail, h]) => ({
          key: keyOf(detail),
          deltas: histogramCounters(h),
          expiresAt: EXPIRES,
        }));
        const fastTotals = await addAll(fastStore, fastMoves);
        const fastBins = new Map<string, Histogram>();
        for (const [detail, h] of samples) {
          const into = fastBins.get(keyOf(detail)) ?? new Map();
          addBins(into, h);
          fastBins.set(keyOf(detail), into);
        }

        expect(Object.fromEntries(fastStore.counters)).toEqual(Object.fromEntries(plainStore.counters));
        expect(fastBins).toEqual(plainBins);
        // Keys in the order they first appear, and each key's totals after all its adds.
        expect(fastMoves.map((m) => m.key)).toEqual([...new Set(plainMoves.map((m) => m.key))]);
        plainMoves.forEach((m, i) => {
          expect(plainTotals[i]).toEqual(fastTotals[fastMoves.findIndex((f) => f.key === m.key)]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('counts one sample per entry in the bin of its bytes', () => {
    const samples = binSamples(
      [
        { detail: 'a', bytes: 1000 },
        { detail: 'b', bytes: 0 },
        { detail: 'a', bytes: 1001 },
        { detail: 'a', bytes: 5000 },
      ],
      (e) => e.detail,
      (e) => e.bytes,
    );
    expect([...samples.keys()]).toEqual(['a', 'b']);
    expect(samples.get('a')).toEqual(
      new Map([
        [binOf(1000), 2],
        [binOf(5000), 1],
      ]),
    );
    expect(samples.get('b')).toEqual(new Map([[0, 1]]));
  });
});
