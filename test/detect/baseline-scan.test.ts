import { describe, expect, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { loadBaselines } from '../../core/detect/baseline-store.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { cloudTrailEvent, cloudTrailFile } from './platform/emit-aws.ts';

const ACTOR = `arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/i-0abc`;
const GiB = 1024 ** 3;
// Twelve weekdays from Monday 2026-11-23, each with one window at 09:00 UTC.
const WEEKDAYS = [23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 37, 38].map((d) => Date.UTC(2026, 10, d, 9));

/** One CloudTrail file: the known inference reader loads `objects` shards of `size` bytes from `ip`. */
function file(start: number, objects: number, size: number, ip: string) {
  return cloudTrailFile(
    Array.from({ length: objects }, (_, i) =>
      cloudTrailEvent({
        at: start + 60_000 + i * 1000,
        who: { type: 'role', role: 'llm-inference-role', session: 'i-0abc' },
        op: 'GetObject',
        bucket: 'models-prod',
        keys: [`weights/model-${String(i).padStart(5, '0')}.safetensors`],
        bytes: size,
        ip,
        n: start / 1000 + i,
      }),
    ),
  );
}

async function* once(text: string) {
  yield Buffer.from(text);
}

async function scanFiles(state: WindowStore, texts: readonly string[]) {
  // A new session per call: another invocation sharing only the store.
  const session = createScanSession(detectConfig(), state, { packs: PACKS });
  const alerts = [];
  for (const text of texts) alerts.push(...(await session.scan(once(text))).alerts);
  return alerts;
}

describe('per-actor baselines through the scan', () => {
  it("are learned once per window by one scan and judge the next invocation's windows", async () => {
    const state = memoryWindowStore();
    // Normal days: 20 to 22 shards of 1 GiB from 10.20.1.7, inside the reader's expected networks:
    // above the absolute limits (5 GiB), under its known-reader ones (100 GiB). With no history it
    // is trusted (a low signal); once it has 10 windows of its own, a normal day is nothing.
    const learning = await scanFiles(
      state,
      WEEKDAYS.map((d, i) => file(d, 20 + (i % 3), GiB, '10.20.1.7')),
    );
    expect(learning.map((f) => [f.confidence, f.context.combination, f.signals])).toEqual(
      WEEKDAYS.slice(0, 10).map((_, i) => [
        'low',
        'known reader, bulk volume within its networks',
        [`${20 + (i % 3)} weight objects, ${['21', '23', '24'][i % 3]} GB in 60 min by a known reader`],
      ]),
    );
    // Every window was learned once, with its totals.
    const after = (await loadBaselines(state, [ACTOR], new Date(WEEKDAYS[11] as number), 10)).get(ACTOR);
    expect(after?.windows).toBe(12);
    expect([...(after?.networks ?? [])]).toEqual([['10.20.1.0/24', 12]]);
    expect([...(after?.hours ?? [])].sort(([a], [b]) => a - b)).toEqual([
      [9, 3],
      [33, 3],
      [57, 2],
      [81, 2],
      [105, 2],
    ]);

    // Rescanning a day already learned adds no window (its sample moves to the doubled totals).
    expect(await scanFiles(state, [file(WEEKDAYS[3] as number, 21, GiB, '10.20.1.7')])).toEqual([]);
    const again = (await loadBaselines(state, [ACTOR], new Date(WEEKDAYS[11] as number), 10)).get(ACTOR);
    expect(again?.windows).toBe(12);
    expect([...(again?.objects.values() ?? [])].reduce((a, n) => a + n, 0)).toBe(12);

    // Another invocation: a normal Wednesday morning raises nothing…
    const wednesday = Date.UTC(2026, 11, 9, 9);
    expect(await scanFiles(state, [file(wednesday, 21, GiB, '10.20.1.7')])).toEqual([]);
    // …a Sunday-night read of 150 shards (still under the absolute known-reader limits) from a
    // network inside the expected ones but never used by this actor is judged against its own.
    const sunday = Date.UTC(2026, 11, 13, 3);
    const found = await scanFiles(state, [file(sunday, 150, GiB / 2, '10.20.9.44')]);
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f?.confidence).toBe('medium');
    // The trusted volume signal leads; the baseline's signals raise it to medium (escalate, no containment).
    expect(f?.type).toBe(T.bulkRead);
    expect(f?.context.combination).toBe("volume far above the actor's own baseline from a new network");
    expect(f?.context.rules).toEqual(['bulk-read']);
    expect(f?.context.signalKinds).toEqual([
      'above-own-baseline',
      'new-network',
      'unusual-hours',
      'bulk-volume-known-reader',
    ]);
    expect(f?.signals).toEqual([
      "150 objects, 81 GB in 60 min: far above this actor's own usual 22 objects, 23 GB per window (learned from 13 windows)",
      'from 10.20.9.0/24, a network this actor never used in 13 windows (it uses 10.20.1.0/24)',
      'at Sunday 03:00 UTC, outside the hours this actor worked in 13 windows',
      'more than 25 weight objects (150 reads), 81 GB in 60 min by a known reader',
    ]);
  });

  it('far above its own baseline from a new network outside the expected ones: high, naming all three', async () => {
    const state = memoryWindowStore();
    await scanFiles(
      state,
      WEEKDAYS.map((d, i) => file(d, 20 + (i % 3), GiB, '10.20.1.7')),
    );
    const tuesday = Date.UTC(2026, 11, 8, 9);
    const found = await scanFiles(state, [file(tuesday, 150, GiB / 2, '198.51.100.7')]);
    expect(found.map((f) => [f.confidence, f.context.combination])).toEqual([
      ['high', "volume far above the actor's own baseline from a new network outside expected networks"],
    ]);
    expect(found[0]?.context.signalKinds).toEqual(
      expect.arrayContaining(['above-own-baseline', 'new-network', 'unexpected-network']),
    );
    // Its usual hour: not unusual.
    expect(found[0]?.context.signalKinds).not.toContain('unusual-hours');
  });
});
