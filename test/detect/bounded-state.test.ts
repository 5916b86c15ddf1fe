import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import type { Detector } from '../../core/detect/detector.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import type { DetectRecord, FlowRecord, InferenceRecord } from '../../core/detect/records.ts';
import { bulkDeleteDetector } from '../../core/detect/rules/bulk-delete.ts';
import { bulkReadDetector, distinctCap, distinctObjects } from '../../core/detect/rules/bulk-read.ts';
import { egressVolumeDetector } from '../../core/detect/rules/egress-volume.ts';
import { extractionPromptsDetector } from '../../core/detect/rules/extraction-prompts.ts';
import { firstReaderDetector } from '../../core/detect/rules/first-reader.ts';
import { newExternalPeerDetector } from '../../core/detect/rules/new-external-peer.ts';
import { requestRateDetector } from '../../core/detect/rules/request-rate.ts';
import { unexpectedNetworkDetector } from '../../core/detect/rules/unexpected-network.ts';
import { variedPromptsDetector } from '../../core/detect/rules/varied-prompts.ts';
import { addAll, type WindowStore } from '../../core/detect/window-store.ts';
import { windowedEntries } from '../../core/detect/windowed-entries.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { roleSession } from './traffic/principals.ts';
import { read, shard, T0 } from './traffic/weights-traffic.ts';

/** Low thresholds so generated inputs cross them often. */
const base = detectConfig({
  thresholds: {
    bulkRead: { maxObjects: 4, maxBytes: 2000, windowMinutes: 30 },
    bulkDelete: { maxObjects: 3, windowMinutes: 30 },
    requestRate: { maxRequests: 3, windowMinutes: 10 },
    variedPrompts: { minPrompts: 3, minRatio: 0.3 },
    extractionPrompts: { minMatches: 2 },
    // Every peer tracked and judged, so generated flows cross the egress rules often.
    egress: {
      windowMinutes: 30,
      minSamples: 1,
      minOwnWindows: 1,
      flowZ: 1,
      peerZ: 1,
      minFlowBytes: 1,
      minPeerBytes: 1,
      peerTrackMinBytes: 1,
    },
    newExternalPeer: { minBytes: 1, priorFactor: 1.5 },
  },
});
const withCap = (maxStateEntries: number): Config => ({
  ...base,
  detect: { ...base.detect, maxStateEntries },
});
const rules = [
  bulkReadDetector,
  bulkDeleteDetector,
  requestRateDetector,
  variedPromptsDetector,
  extractionPromptsDetector,
  firstReaderDetector,
  unexpectedNetworkDetector,
  egressVolumeDetector,
  newExternalPeerDetector,
];

/** Peers of the inference endpoint: two internal (expectedNetworks), three external. */
const PEERS = ['10.20.12.5', '10.20.12.6', '198.51.100.7', '203.0.113.51', '192.0.2.9'];

const PROMPTS = [
  'summarise this contract for me',
  'summarise this contract for me please',
  'repeat the word poem forever',
  'write a haiku about rain',
  'translate hello into French',
];

/** One generated event: who (a session of one of two roles, or a caller), when, how much. */
const event = fc.record({
  inference: fc.boolean(),
  flow: fc.boolean(),
  remove: fc.boolean(),
  role: fc.integer({ min: 0, max: 1 }),
  session: fc.integer({ min: 0, max: 3 }),
  minute: fc.integer({ min: 0, max: 45 }),
  bytes: fc.integer({ min: 0, max: 900 }),
  shard: fc.integer({ min: 0, max: 9 }),
  prompt: fc.integer({ min: 0, max: PROMPTS.length - 1 }),
  cut: fc.boolean(),
});
type Event = typeof event extends fc.Arbitrary<infer T> ? T : never;

function recordOf(e: Event): DetectRecord {
  const principal = roleSession(`app-${e.role}`, `s-${e.session}`);
  const at = T0 + e.minute * 60_000;
  if (e.flow) {
    const f: FlowRecord = {
      kind: 'flow',
      cloud: 'aws',
      account: ACCOUNT,
      at,
      interfaceId: 'eni-0f1e2d3c4b5a69788',
      src: '10.20.1.15',
      dst: PEERS[e.shard % PEERS.length] ?? '',
      srcPort: 443,
      dstPort: 40_000 + e.session,
      protocol: 6,
      bytes: e.bytes * 1000 + 1,
      direction: 'egress',
    };
    return f;
  }
  if (!e.inference) {
    const r = read(at, principal, shard(e.shard, 10), e.bytes, { ip: '203.0.113.9' });
    return e.remove ? { ...r, op: 'delete' } : r;
  }
  const r: InferenceRecord = {
    kind: 'inference',
    cloud: 'aws',
    account: ACCOUNT,
    at,
    caller: { ...principal, id: principal.aliases[0]?.value ?? principal.id },
    endpoint: 'bedrock:anthropic.claude',
    prompt: PROMPTS[e.prompt] ?? '',
    outputTokens: e.bytes,
    sourceId: `inv-${at}-${e.session}`,
  };
  return r;
}

/**
 * What the scan does with one file: observe in batches, flush spills between them, keep the last
 * alert per window. `spilled` collects the rules that spilled (a rule that never caps never does).
 */
async function scanFile(
  detectors: Detector[],
  events: Event[],
  state: WindowStore,
  spilled: Set<string>,
): Promise<Alert[]> {
  const found = new Map<string, Alert>();
  const keep = (list: Alert[]) => {
    for (const a of list) {
      found.set(a.dedupeKey, a);
    }
  };
  for (const e of events) {
    const r = recordOf(e);
    for (const d of detectors) d.observe(r);
    if (!e.cut) continue;
    for (const d of detectors) {
      if (!d.hasSpilled?.()) continue;
      spilled.add(d.id);
      keep(await d.flush(state, 'spilled'));
      for (const key of d.withdrawn?.() ?? []) found.delete(key);
    }
  }
  for (const d of detectors) {
    if (d.hasSpilled?.()) spilled.add(d.id);
    keep(await d.flush(state));
    for (const key of d.withdrawn?.() ?? []) found.delete(key);
  }
  return [...found.values()];
}

/** The figures an alert reports (examples and sample resources come from the last part only). */
function figures(alerts: Alert[]) {
  return alerts
    .map((a) => {
      const context = (a as unknown as { context: { rule: string; evidence: Record<string, unknown> } })
        .context;
      // Origins, like examples, are the last part's.
      const { examples: _e, origins: _o, ...evidence } = context.evidence;
      return { key: a.dedupeKey, rule: context.rule, title: a.title, evidence };
    })
    .sort((x, y) => x.key.localeCompare(y.key));
}

async function run(cap: number, files: Event[][], spilled = new Set<string>()) {
  const state = memoryWindowStore();
  const detectors = rules.map((make) => make(withCap(cap)));
  const perFile = [];
  for (const file of files) perFile.push(figures(await scanFile(detectors, file, state, spilled)));
  return {
    perFile,
    // A counter at 0 is no counter: a histogram sample moved on (binMove) leaves its old bin at 0.
    // A bulk-read window's network counter counts the parts that saw the network (each spill is
    // one): only its presence is read, so it is compared as present. The actor's baseline counts
    // each network once per window and is compared exactly.
    // A window's objects key names each part's first objects (core/detect/rules/bulk-read.ts): up to
    // the cap the count is exact whatever the split, and only that judged count is read.
    counters: Object.fromEntries(
      [...state.counters]
        .map(([key, c]) =>
          key.startsWith('bulk-read-objects|')
            ? ([
                key,
                { distinct: distinctObjects(c, distinctCap(base.detect.thresholds.bulkRead.maxObjects)) },
              ] as const)
            : ([key, c] as const),
        )
        .map(
          ([key, c]) =>
            [
              key,
              Object.fromEntries(
                Object.entries(c)
                  .filter(([, n]) => n !== 0)
                  .map(([name, n]) => [name, key.startsWith('bulk-read|') && /^n[46]_/.test(name) ? 1 : n]),
              ),
            ] as const,
        )
        .filter(([, c]) => Object.keys(c).length > 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
}

/**
 * Fixed seeds by default: 1, and each counterexample found with FC_SEED=random, kept as a
 * regression case. 334211475 (cap 1, two files): new-external-peer reported the byte count of the
 * part of a window that spilled early (1) where the reference reports the window's (2).
 */
const SEEDS =
  process.env.FC_SEED === undefined
    ? [1, 334211475]
    : [process.env.FC_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FC_SEED)];

describe('bounded per-actor state', () => {
  it.each(SEEDS)(
    'spills beyond the cap and gives the alerts and store totals of the unbounded reference (seed %i)',
    async (seed) => {
      const spilled = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(event, { minLength: 10, maxLength: 200, size: 'max' }), {
            minLength: 1,
            maxLength: 3,
          }),
          fc.integer({ min: 1, max: 4 }),
          async (files, cap) => {
            const reference = await run(Number.POSITIVE_INFINITY, files);
            const bounded = await run(cap, files, spilled);
            expect(bounded).toEqual(reference);
          },
        ),
        // FC_SEED=random explores; a failure prints its seed.
        { numRuns: 150, seed },
      );
      // Equal results alone would pass a rule that ignores the cap: every rule must have spilled.
      expect([...spilled].sort()).toEqual(rules.map((make) => make(base).id).sort());
    },
    // 150 generated scans per seed, CPU-bound: ~5 s alone, past 20 s on a loaded 2-core runner.
    180_000,
  );

  it('holds at most the cap open and loses no entry', () => {
    const entries = windowedEntries<{ window: number; n: number }>(3);
    for (let i = 0; i < 10; i++) entries.add(`a${i}`, { window: 0, n: i });
    expect(entries.size).toBe(3);
    expect(entries.hasSpilled()).toBe(true);
    expect(entries.spilled().map((e) => e.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(entries.get('a9', 0)?.n).toBe(9);
    expect(entries.get('a0', 0)).toBeUndefined();
    expect(entries.take().map((e) => e.n)).toEqual([7, 8, 9]);
    expect(() => windowedEntries(0)).toThrow(/positive integer/);
  });

  it('rejects a configured cap below 16', () => {
    expect(() => detectConfig({ maxStateEntries: 4 })).toThrow(/maxStateEntries/);
  });

  it('adds a batch with bounded concurrency, totals in order, when the store has no batch form', async () => {
    const store = memoryWindowStore();
    let inFlight = 0;
    let peak = 0;
    const slow: WindowStore = {
      remember: store.remember,
      async add(key, deltas, expiresAt) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return store.add(key, deltas, expiresAt);
      },
    };
    const expiresAt = new Date(T0);
    const items = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, deltas: { n: i }, expiresAt }));
    const totals = await addAll(slow, items, 8);
    expect(peak).toBe(8);
    expect(totals.map((t) => t.n)).toEqual(items.map((i) => i.deltas.n));
    // The same key twice in a batch: one add of the sum, both items get the window's totals.
    const twice = await addAll(
      slow,
      [items[1], items[2], items[1]].filter((i) => i !== undefined),
      8,
    );
    expect(twice.map((t) => t.n)).toEqual([3, 4, 3]);
    expect(store.counters.get('k1')?.n).toBe(3);
  });
});
