import { describe, expect, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import {
  type ActorBaseline,
  type ActorWindow,
  baselineFromCounters,
  emptyBaseline,
  hourOfWeek,
  judge,
  learn,
  MAX_NETWORKS,
  networkOf,
} from '../../core/detect/baseline.ts';
import { baselineKey, loadBaselines, saveBaselines } from '../../core/detect/baseline-store.ts';
import { combine } from '../../core/detect/combinations.ts';
import { detectorAlert } from '../../core/detect/detector-alert.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { type SignalKind, signalOf } from '../../core/detect/signals.ts';

const ACTOR = 'arn:aws:sts::111122223333:assumed-role/trainer/i-0abc';
// Monday 2026-11-23 09:00 UTC, plus whole days: weekday mornings.
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, 23 + day, hour, 5));
const heavy = (day: number, extra: Partial<ActorWindow> = {}): ActorWindow => ({
  bytes: 200e9 * (1 + (day % 3) * 0.1),
  objects: 40 + (day % 3),
  addresses: ['10.1.2.7', '10.1.2.9'],
  start: at(day % 5),
  ...extra,
});

function learned(windows = 15): ActorBaseline {
  const b = emptyBaseline();
  for (let d = 0; d < windows; d++) learn(b, heavy(d));
  return b;
}

describe('networkOf', () => {
  it('takes the /24 of IPv4 and the /48 of IPv6; anything else is no network', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:1:2::5')).toBe('2001:db8:1::/48');
    expect(networkOf('2001:DB8::1')).toBe('2001:db8:0::/48');
    expect(networkOf('vpce-0abc')).toBeUndefined();
    expect(networkOf('unknown')).toBeUndefined();
  });
});

describe('judge', () => {
  it('says nothing until the actor has a history (profiles and absolute limits decide)', () => {
    const b = learned(9);
    expect(
      judge(b, heavy(1, { bytes: 5e12, objects: 4000, addresses: ['198.51.100.7'], start: at(5, 3) })),
    ).toEqual([]);
  });

  it('a heavy reader whose volume is normal for itself raises nothing', () => {
    expect(judge(learned(), heavy(16))).toEqual([]);
  });

  it('above-own-baseline: volume far above its own windows', () => {
    const found = judge(learned(), heavy(1, { bytes: 4e12, objects: 41 }));
    expect(found).toEqual([
      {
        rule: 'above-own-baseline',
        bytes: 4e12,
        objects: 41,
        medianBytes: expect.any(Number),
        medianObjects: expect.any(Number),
        z: expect.any(Number),
        windows: 15,
      },
    ]);
    const f = found[0] as { medianBytes: number; z: number };
    expect(f.medianBytes).toBeGreaterThan(190e9);
    expect(f.medianBytes).toBeLessThan(240e9);
    expect(f.z).toBeGreaterThanOrEqual(4);
  });

  it('above-own-baseline also counts objects; three times the median is not far above', () => {
    expect(judge(learned(), heavy(1, { objects: 2000 })).map((f) => f.rule)).toEqual(['above-own-baseline']);
    expect(judge(learned(), heavy(1, { bytes: 600e9 }))).toEqual([]);
  });

  it('new-network: a prefix this actor never used, once it has a history', () => {
    expect(judge(learned(), heavy(1, { addresses: ['10.1.2.200', '198.51.100.7'] }))).toEqual([
      { rule: 'new-network', networks: ['198.51.100.0/24'], known: ['10.1.2.0/24'], windows: 15 },
    ]);
  });

  it('unusual-hours: outside its learned hours; the neighbouring hour is usual', () => {
    expect(judge(learned(), heavy(1, { start: at(5, 3) }))).toEqual([
      { rule: 'unusual-hours', hourOfWeek: 5 * 24 + 3, windows: 15, usualHours: 5 },
    ]);
    expect(judge(learned(), heavy(1, { start: at(1, 10) }))).toEqual([]);
  });

  it('keeps at most MAX_NETWORKS networks and then claims no new one', () => {
    const b = learned();
    for (let i = 0; i < MAX_NETWORKS + 5; i++) learn(b, heavy(1, { addresses: [`172.16.${i}.1`] }));
    expect(b.networks.size).toBe(MAX_NETWORKS);
    expect(judge(b, heavy(1, { addresses: ['198.51.100.7'] }))).toEqual([]);
  });
});

describe('store round trip', () => {
  it('a baseline learned by one scan is reloaded by a second scan and judges it', async () => {
    const store = memoryWindowStore();
    const now = new Date('2026-12-07T10:00:00Z');
    // First scan: 15 windows learned and saved (the same key summed by addAll).
    const first = await loadBaselines(store, [ACTOR], now, 100);
    expect(first.get(ACTOR)?.windows).toBe(0);
    const b = first.get(ACTOR) as ActorBaseline;
    for (let d = 0; d < 15; d++) {
      const deltas = learn(b, heavy(d));
      await saveBaselines(store, new Map([[ACTOR, deltas]]), now);
    }
    // Four keys (an Azure Table entity holds 252 properties): windows and networks, bytes, objects, hours.
    expect(store.counters.get(baselineKey(ACTOR))).toEqual({ w: 15, n4_10_1_2: 15 });
    expect(store.counters.get(`baseline-hours|${ACTOR}`)).toMatchObject({ h9: 3 });
    expect(Object.values(store.counters.get(`baseline-bytes|${ACTOR}`) ?? {}).reduce((a, n) => a + n)).toBe(
      15,
    );
    expect(Object.values(store.counters.get(`baseline-objects|${ACTOR}`) ?? {}).reduce((a, n) => a + n)).toBe(
      15,
    );
    // Second scan: loaded back equal to what was learned.
    const second = (await loadBaselines(store, [ACTOR, 'other'], now, 100)).get(ACTOR) as ActorBaseline;
    expect(second).toEqual(b);
    expect(judge(second, heavy(1, { bytes: 4e12 })).map((f) => f.rule)).toEqual(['above-own-baseline']);
  });

  it('loads at most maxEntries actors', async () => {
    const loaded = await loadBaselines(memoryWindowStore(), ['a', 'b', 'c'], new Date(), 2);
    expect([...loaded.keys()]).toEqual(['a', 'b']);
  });

  it('ignores counters of no baseline field', () => {
    expect(baselineFromCounters({ w: 2, zz: 5, b10: 2 })).toMatchObject({
      windows: 2,
      bytes: new Map([[10, 2]]),
    });
  });

  it('hourOfWeek counts from Monday 00:00 UTC', () => {
    expect(hourOfWeek(new Date('2026-11-23T00:30:00Z'))).toBe(0);
    expect(hourOfWeek(new Date('2026-11-29T23:59:00Z'))).toBe(167);
  });
});

describe('signals and combinations', () => {
  const WINDOW = { start: '2026-11-28T03:00:00.000Z', end: '2026-11-28T04:00:00.000Z' };
  const alert = (rule: string, evidence: Record<string, unknown>) =>
    detectorAlert({
      rule,
      type: T.bulkRead,
      severity: 6,
      cloud: 'aws',
      account: '111122223333',
      principal: null,
      resources: [{ kind: 'bucket', id: 'arn:aws:s3:::models-prod' }],
      observedAt: Date.parse(WINDOW.end),
      subject: ACTOR,
      window: 0,
      title: rule,
      evidence: { actor: ACTOR, window: WINDOW, ...evidence },
    });

  it('words a responder reads', () => {
    expect(
      signalOf(
        alert('above-own-baseline', {
          bytes: 4e12,
          objects: 41,
          medianBytes: 2e11,
          medianObjects: 41,
          windows: 15,
        }),
      ),
    ).toMatchObject({
      kind: 'above-own-baseline',
      actor: ACTOR,
      says: "41 objects, 4000 GB in 60 min: far above this actor's own usual 41 objects, 200 GB per window (learned from 15 windows)",
    });
    expect(
      signalOf(alert('new-network', { networks: ['198.51.100.0/24'], known: ['10.1.2.0/24'], windows: 15 }))
        ?.says,
    ).toBe('from 198.51.100.0/24, a network this actor never used in 15 windows (it uses 10.1.2.0/24)');
    expect(signalOf(alert('unusual-hours', { hourOfWeek: 123, windows: 15 }))?.says).toBe(
      'at Saturday 03:00 UTC, outside the hours this actor worked in 15 windows',
    );
  });

  const conf = (...kinds: SignalKind[]) => combine(new Map(kinds.map((k) => [k, 1])))?.confidence;
  it('above its own baseline from a new network outside expected networks is high; unusual hours alone low', () => {
    expect(conf('above-own-baseline', 'new-network', 'unexpected-network')).toBe('high');
    expect(conf('above-own-baseline', 'new-network')).toBe('medium');
    expect(conf('above-own-baseline')).toBe('medium');
    expect(conf('unusual-hours')).toBe('low');
    expect(conf('new-network')).toBe('low');
  });
});
