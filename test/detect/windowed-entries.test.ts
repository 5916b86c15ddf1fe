import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeEntries, windowedEntries } from '../../core/detect/windowed-entries.ts';

// windowedEntries and mergeEntries (held by subject id, keyed by detail|window only for a subject
// with several entries) against plain references written here: an array of the open entries in
// opening order, searched from the start, and a merge that looks back through what it kept; both
// identify an entry by its joined key `id|detail|window` (so 'a|b' with no detail is 'a' with 'b|').

interface Entry {
  window: number;
  detail?: string;
  n: number;
}

/** The reference: open entries in opening order; the first spilled when full. */
function referenceEntries(max: number) {
  let open: { id: string; entry: Entry }[] = [];
  let spilled: Entry[] = [];
  const key = (id: string, e: { window: number; detail?: string | undefined }) =>
    `${id}|${e.detail ?? ''}|${e.window}`;
  return {
    get: (id: string, window: number, detail = '') =>
      open.find((o) => key(o.id, o.entry) === key(id, { window, detail }))?.entry,
    add(id: string, entry: Entry) {
      if (open.length >= max) spilled.push((open.shift() as { entry: Entry }).entry);
      open.push({ id, entry });
      return entry;
    },
    size: () => open.length,
    hasSpilled: () => spilled.length > 0,
    spilled() {
      const batch = spilled;
      spilled = [];
      return batch;
    },
    take() {
      const batch = [...spilled, ...open.map((o) => o.entry)];
      spilled = [];
      open = [];
      return batch;
    },
  };
}

function referenceMerge(batch: readonly Entry[], idOf: (e: Entry) => string): Entry[] {
  const out: Entry[] = [];
  for (const e of batch) {
    const key = (x: Entry) => `${idOf(x)}|${x.detail ?? ''}|${x.window}`;
    const seen = out.find((o) => key(o) === key(e));
    if (seen) seen.n += e.n;
    else out.push(e);
  }
  return out;
}

// Few ids, windows and details (one with '|', as endpoint names have), so subjects often hold
// several entries and come back after a spill.
const id = fc.constantFrom('p1', 'a', 'a|b');
const window = fc.constantFrom(0, 1, 1800000);
const detail = fc.constantFrom(undefined, '', 'eni-1|10.0.0.2', 'b|');
type Op =
  | { op: 'touch'; id: string; window: number; detail: string | undefined; n: number }
  | { op: 'spilled' }
  | { op: 'take' };
const ops = fc.array(
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({ op: fc.constant('touch' as const), id, window, detail, n: fc.nat(9) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('spilled' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('take' as const) }) },
  ),
  { maxLength: 250 },
);
const cap = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(Number.POSITIVE_INFINITY));

/** A rule's use: `get ?? add`, then count; entries and batches compared as plain values. */
function run(entries: ReturnType<typeof referenceEntries>, list: readonly Op[]) {
  const seen: unknown[] = [];
  const copy = (batch: Entry[]) => batch.map((e) => ({ ...e }));
  for (const o of list) {
    if (o.op === 'touch') {
      const found = entries.get(o.id, o.window, o.detail);
      seen.push(found ? { ...found } : null);
      const e =
        found ??
        entries.add(o.id, {
          window: o.window,
          ...(o.detail === undefined ? {} : { detail: o.detail }),
          n: 0,
        });
      e.n += o.n;
      seen.push(entries.size(), entries.hasSpilled());
    } else seen.push(copy(o.op === 'spilled' ? entries.spilled() : entries.take()));
  }
  seen.push(copy(entries.take()));
  return seen;
}

describe('windowedEntries', () => {
  it('finds, opens, spills and hands over the entries the plain reference does', () => {
    fc.assert(
      fc.property(cap, ops, (max, list) => {
        const w = windowedEntries<Entry>(max);
        const fast = { ...w, size: () => w.size };
        expect(run(fast, list)).toEqual(run(referenceEntries(max), list));
      }),
      { numRuns: 400 },
    );
  });

  it('does not find a spilled entry of a subject that still has several open (the last found, spilled)', () => {
    const w = windowedEntries<Entry>(3);
    const first = w.add('p', { window: 0, n: 1 });
    w.add('p', { window: 1, n: 0 });
    w.add('p', { window: 2, n: 0 });
    expect(w.get('p', 0)).toBe(first);
    w.add('q', { window: 0, n: 0 });
    expect(w.spilled()).toEqual([first]);
    expect(w.get('p', 0)).toBeUndefined();
    expect(w.get('p', 2)).toEqual({ window: 2, n: 0 });
  });
});

describe('mergeEntries', () => {
  it('merges what the plain reference merges, first occurrences in order', () => {
    const entry = fc.record({ id, window, detail, n: fc.nat(9) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 120 }), (list) => {
        const make = () =>
          list.map((e) => ({
            id: e.id,
            window: e.window,
            ...(e.detail === undefined ? {} : { detail: e.detail }),
            n: e.n,
          }));
        const fast = mergeEntries(
          make(),
          (e) => e.id,
          (into, from) => {
            into.n += from.n;
          },
        );
        expect(fast).toEqual(referenceMerge(make(), (e) => (e as Entry & { id: string }).id));
      }),
      { numRuns: 400 },
    );
  });
});
