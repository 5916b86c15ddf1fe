import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedNetworksFor } from '../../core/detect/known-readers.ts';
import { lru, lruMemo } from '../../core/detect/lru.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { iamUser, roleSession } from './traffic/principals.ts';

// The bounded caches against plain references written here: an array kept in use order, and no cache at all.

const RUNS = { numRuns: 300 };

type Op = { get: number } | { set: number; value: number };
const ops = fc.array(
  fc.oneof(
    fc.record({ get: fc.integer({ min: 0, max: 12 }) }),
    fc.record({ set: fc.integer({ min: 0, max: 12 }), value: fc.integer() }),
  ),
  { maxLength: 200 },
);

/** The reference: entries in an array from least to most recently used, the first dropped when full. */
function referenceLru(max: number) {
  const entries: [number, number][] = [];
  const at = (key: number) => entries.findIndex(([k]) => k === key);
  return {
    get(key: number) {
      const i = at(key);
      if (i < 0) return undefined;
      const [entry] = entries.splice(i, 1) as [[number, number]];
      entries.push(entry);
      return entry[1];
    },
    set(key: number, value: number) {
      const i = at(key);
      if (i >= 0) entries.splice(i, 1);
      else if (entries.length >= max) entries.shift();
      entries.push([key, value]);
    },
    keys: () => entries.map(([k]) => k),
  };
}

describe('lru', () => {
  it('answers and keeps the same keys, in the same order, as the reference on any operations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), ops, (max, list: Op[]) => {
        const cache = lru<number, number>(max);
        const want = referenceLru(max);
        for (const op of list) {
          if ('get' in op) expect(cache.get(op.get)).toBe(want.get(op.get));
          else {
            cache.set(op.set, op.value);
            want.set(op.set, op.value);
          }
          expect(cache.keys()).toEqual(want.keys());
          expect(cache.size).toBeLessThanOrEqual(max);
        }
      }),
      RUNS,
    );
  });

  it('stays at its bound under steady eviction', () => {
    const cache = lru<string, number>(3);
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, i);
    expect(cache.keys()).toEqual(['k9997', 'k9998', 'k9999']);
  });

  it('rejects a bound below one', () => {
    expect(() => lru(0)).toThrow('at least one entry');
  });
});

describe('lruMemo', () => {
  it('gives what the function gives, calling it again only for keys it forgot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 9 })), (max, keys) => {
        const calls: number[] = [];
        const square = lruMemo((k: number) => {
          calls.push(k);
          return { square: k * k };
        }, max);
        const want = referenceLru(max);
        for (const k of keys) {
          const missed = want.get(k) === undefined;
          if (missed) want.set(k, 0);
          const before = calls.length;
          expect(square(k)).toEqual({ square: k * k });
          expect(calls.length - before).toBe(missed ? 1 : 0);
        }
      }),
      RUNS,
    );
  });
});

describe('expectedNetworksFor', () => {
  const config = detectConfig({
    knownReaders: [
      `arn:aws:iam::${ACCOUNT}:role/trainer`,
      { principal: `arn:aws:iam::${ACCOUNT}:role/batch-*`, networks: ['10.9.0.0/16'] },
    ],
    expectedNetworks: ['10.20.0.0/16'],
  });
  const principal = fc.oneof(
    fc
      .tuple(fc.constantFrom('trainer', 'batch-1', 'batch-2', 'web'), fc.integer({ min: 0, max: 20 }))
      .map(([role, s]) => roleSession(role, `s${s}`)),
    fc.constantFrom('alice', 'bob').map(iamUser),
  );
  const ip = fc
    .tuple(fc.constantFrom(9, 20, 30), fc.integer({ min: 0, max: 255 }))
    .map(([b, c]) => `10.${b}.${c}.1`);

  it('answers with a bound of 2 entries as with no bound (the reference)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(principal, ip), { maxLength: 60 }), (reads) => {
        const bounded = expectedNetworksFor(config, 2);
        const reference = expectedNetworksFor(config, Number.MAX_SAFE_INTEGER);
        for (const [p, address] of reads) {
          const got = bounded(p);
          const want = reference(p);
          expect(got.known).toBe(want.known);
          expect(got.matcher.matches({ ip: address })).toBe(want.matcher.matches({ ip: address }));
        }
      }),
      RUNS,
    );
  });

  it('trusts a profile reader from its networks and others from the deployment networks', () => {
    const networksOf = expectedNetworksFor(config, 2);
    const batch = networksOf(roleSession('batch-1', 's1'));
    const web = networksOf(roleSession('web', 's1'));
    expect(batch.known).toBe(true);
    expect(batch.matcher.matches({ ip: '10.9.1.1' })).toBe(true);
    expect(batch.matcher.matches({ ip: '10.20.1.1' })).toBe(false);
    expect(web.known).toBe(false);
    expect(web.matcher.matches({ ip: '10.20.1.1' })).toBe(true);
  });
});
