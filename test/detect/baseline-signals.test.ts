import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { loadBaselines } from '../../core/detect/baseline-store.ts';
import { COMBINATIONS } from '../../core/detect/combinations.ts';
import { createDetectors } from '../../core/detect/detectors.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { cloudTrailEvent, cloudTrailFile } from './platform/emit-aws.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const actorOf = (session: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/${session}`;
// Weekdays from Monday 2026-11-23, one window each at 09:00 UTC.
const WEEKDAYS = [23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 37, 38].map((d) => Date.UTC(2026, 10, d, 9));

interface Reads {
  start: number;
  objects: number;
  size: number;
  ip: string;
  session?: string;
}

let n = 0;
/** CloudTrail GetObjects of the known inference reader's sessions, one a second from `start` + 1 min. */
const events = ({ start, objects, size, ip, session = 'i-0abc' }: Reads) =>
  Array.from({ length: objects }, (_, i) =>
    cloudTrailEvent({
      at: start + 60_000 + i * 1000,
      who: { type: 'role', role: 'llm-inference-role', session },
      op: 'GetObject',
      bucket: 'models-prod',
      keys: [`weights/model-${String(i).padStart(5, '0')}.safetensors`],
      bytes: size,
      ip,
      n: ++n,
    }),
  );

/** The file in 2 KB chunks: the scan parses a batch per chunk and flushes spilled windows between them. */
async function* chunks(text: string) {
  for (let i = 0; i < text.length; i += 2048) yield Buffer.from(text.slice(i, i + 2048));
}

async function scan(state: WindowStore, files: readonly (readonly Record<string, unknown>[])[], detect = {}) {
  // A new session per call: another invocation sharing only the store.
  const config = detectConfig(detect);
  const detectors = createDetectors(config);
  const spilled: Alert[] = [];
  const bulk = detectors.find((d) => d.id === 'bulk-read');
  if (bulk) {
    const flush = bulk.flush.bind(bulk);
    bulk.flush = async (s, only) => {
      const alerts = await flush(s, only);
      if (only === 'spilled') spilled.push(...alerts);
      return alerts;
    };
  }
  const session = createScanSession(config, state, { packs: PACKS, detectors });
  const alerts = [];
  for (const records of files) alerts.push(...(await session.scan(chunks(cloudTrailFile(records)))).alerts);
  return { alerts, spilled };
}

/** Ten weekday windows at 09:00 of 2 shards of 100 MiB from 10.20.1.7: under every absolute limit. */
async function learned() {
  const state = memoryWindowStore();
  const learning = await scan(
    state,
    WEEKDAYS.slice(0, 10).map((start) => events({ start, objects: 2, size: 100 * MiB, ip: '10.20.1.7' })),
  );
  expect(learning.alerts).toEqual([]);
  return state;
}

const confidenceOf = (name: string) => COMBINATIONS.find((c) => c.name === name)?.confidence;
const tuesday = Date.UTC(2026, 11, 8, 9);

describe("bulk-read's own-baseline signals, each alone, with the confidence of combinations.ts", () => {
  it.each([
    {
      signal: 'above-own-baseline',
      // 20 shards of 200 MiB (3.9 GiB): 20× its usual bytes, still under the absolute limits (5 GiB, 25).
      reads: { start: tuesday, objects: 20, size: 200 * MiB, ip: '10.20.1.7' },
      type: T.aboveOwnBaseline,
      combination: "volume far above the actor's own baseline",
      confidence: 'medium',
      words:
        "20 objects, 4.2 GB in 60 min: far above this actor's own usual 2 objects, 0.2 GB per window (learned from 10 windows)",
    },
    {
      signal: 'new-network',
      // Its usual volume and hour, from 10.20.9.0/24: inside the expected networks, never used by it.
      reads: { start: tuesday, objects: 2, size: 100 * MiB, ip: '10.20.9.44' },
      type: T.newNetwork,
      combination: 'a network the actor never used',
      confidence: 'low',
      words: 'from 10.20.9.0/24, a network this actor never used in 10 windows (it uses 10.20.1.0/24)',
    },
    {
      signal: 'unusual-hours',
      // Its usual volume and network on Sunday at 03:00.
      reads: { start: Date.UTC(2026, 11, 13, 3), objects: 2, size: 100 * MiB, ip: '10.20.1.7' },
      type: T.unusualHours,
      combination: "outside the actor's learned hours",
      confidence: 'low',
      words: 'at Sunday 03:00 UTC, outside the hours this actor worked in 10 windows',
    },
  ])(
    '$signal alone: one $confidence finding',
    async ({ signal, reads, type, combination, confidence, words }) => {
      // Prepare
      const state = await learned();
      // Act
      const { alerts } = await scan(state, [events(reads)]);
      // Assess
      expect(confidenceOf(combination)).toBe(confidence);
      expect(
        alerts.map((a) => [
          a.type,
          a.principal?.id,
          a.confidence,
          a.context.combination,
          a.context.signalKinds,
        ]),
      ).toEqual([
        [type, `arn:aws:iam::${ACCOUNT}:role/llm-inference-role`, confidence, combination, [signal]],
      ]);
      expect(alerts[0]?.signals).toEqual([words]);
      expect(alerts[0]?.context.evidence).toMatchObject({ actor: actorOf('i-0abc') });
    },
  );

  it.each([
    ['a file each', 40],
    ['all in one file', 1],
  ])('learns at most 32 networks of an actor from 40 windows on 40 /24s, %s', async (_how, files) => {
    // Prepare: hourly windows from Monday 00:00, each of 2 small shards from its own /24.
    const windows = Array.from({ length: 40 }, (_, i) =>
      events({
        start: Date.UTC(2026, 10, 23) + i * 3_600_000,
        objects: 2,
        size: MiB,
        ip: `10.20.${i}.7`,
      }),
    );
    const state = memoryWindowStore();
    // Act
    await scan(state, files === 1 ? [windows.flat()] : windows);
    // Assess
    const b = (await loadBaselines(state, [actorOf('i-0abc')], new Date(Date.UTC(2026, 10, 25)), 10)).get(
      actorOf('i-0abc'),
    );
    expect([b?.windows, b?.networks.size]).toEqual([40, 32]);
  });

  it('an actor spread over 300 networks in one window (a proxy pool) cannot make its window key unwritable', async () => {
    // Prepare: 30 files of 10 reads, each read from its own public /24, all in one window; the
    // window key would hold 300 network counters, beyond the 250 an Azure Table entity keeps.
    const files = Array.from({ length: 30 }, (_, f) =>
      Array.from({ length: 10 }, (_, i) =>
        events({ start: tuesday + (f * 10 + i) * 1000, objects: 1, size: GiB, ip: `198.${f}.${i}.7` }),
      ).flat(),
    );
    const state = memoryWindowStore();
    // Act
    const { alerts } = await scan(state, files);
    // Assess: every flush was written (no add refused) and the volume still alerts, 300 GiB in all.
    const bulk = alerts.filter((a) => a.type === T.bulkRead);
    expect(bulk.length).toBeGreaterThan(0);
    expect(bulk.flatMap((a) => a.signals).join('; ')).toMatch(
      /weight objects( \(\d+ reads\))?, .* outside its networks/,
    );
    const key = [...state.counters.keys()].find((k) => k.startsWith('bulk-read|'));
    const window = state.counters.get(key ?? '') ?? {};
    expect([Object.keys(window).length, window.bytes, window.objects]).toEqual([250, 300 * GiB, 300]);
  });

  it("withdraws a spilled flush's trusted alert when the actor's own baseline later says normal", async () => {
    // Prepare: 9 windows of 20 shards of 1 GiB at 09:00 (each a trusted, low bulk-read signal).
    const state = memoryWindowStore();
    await scan(
      state,
      WEEKDAYS.slice(0, 9).map((start) => events({ start, objects: 20, size: GiB, ip: '10.20.1.7' })),
    );
    // Tuesday 09:00: 10 shards of 1 GiB, then 16 other sessions read one small shard each, so the
    // window spills (cap 16) with 10 GiB and 9 windows learned: above the absolute limit, not yet
    // judged by its own baseline, a trusted low alert. The window's 10 other shards and a normal
    // 10:00 window follow; at the end both are judged (10 other windows) and normal for the actor.
    const records = [
      ...events({ start: tuesday, objects: 10, size: GiB, ip: '10.20.1.7' }),
      ...Array.from({ length: 16 }, (_, i) =>
        events({ start: tuesday, objects: 1, size: MiB, ip: '10.20.1.8', session: `i-1${i}` }),
      ).flat(),
      ...events({ start: tuesday + 600_000, objects: 10, size: GiB, ip: '10.20.1.7' }),
      ...events({ start: tuesday + 3_600_000, objects: 20, size: GiB, ip: '10.20.1.7' }),
    ];
    // Act
    const { alerts, spilled } = await scan(state, [records], { maxStateEntries: 16 });
    // Assess: the spilled flush raised it, the scan's result does not hold it.
    expect(spilled.map((a) => [a.type, a.context.evidence])).toEqual([
      [T.bulkRead, expect.objectContaining({ actor: actorOf('i-0abc'), objects: 10, trusted: true })],
    ]);
    expect(alerts).toEqual([]);
  });
});
