import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { correlate } from '../../core/detect/correlate.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import type { FlowRecord } from '../../core/detect/records.ts';
import { binOf } from '../../core/detect/robust-baseline.ts';
import { egressVolumeDetector } from '../../core/detect/rules/egress-volume.ts';
import { newExternalPeerDetector } from '../../core/detect/rules/new-external-peer.ts';
import { signalOf } from '../../core/detect/signals.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { egressHour } from './traffic/flow-traffic.ts';
import { prng } from './traffic/prng.ts';
import { T0 } from './traffic/weights-traffic.ts';

const MiB = 1024 ** 2;
const HOUR = 3_600_000;
const ENDPOINT = 'eni-0f1e2d3c4b5a69788|10.20.1.15';
/** Inside detect.expectedNetworks (10.20.0.0/16): a batch consumer host. */
const CONSUMER = '10.20.12.5';

function flow(at: number, dst: string, bytes: number, dstPort = 40_000): FlowRecord {
  return {
    kind: 'flow',
    cloud: 'aws',
    account: ACCOUNT,
    at,
    interfaceId: 'eni-0f1e2d3c4b5a69788',
    src: '10.20.1.15',
    dst,
    srcPort: 8000,
    dstPort,
    protocol: 6,
    bytes,
    direction: 'egress',
  };
}

/** `n` flows of `bytes` each to `peer`, spread over the hour starting at `start`. */
const transfer = (start: number, peer: string, n: number, bytes: number) =>
  Array.from({ length: n }, (_, i) => flow(start + 60_000 + i * 60_000, peer, bytes, 40_000 + i));

/** Both egress rules over hourly files: each hour is one file (one flush), alerts per hour. */
async function hours(config: Config, files: FlowRecord[][], state: WindowStore = memoryWindowStore()) {
  const rules = [egressVolumeDetector(config), newExternalPeerDetector(config)];
  const perHour: Alert[][] = [];
  for (const file of files) {
    for (const r of file) for (const d of rules) d.observe(r);
    perHour.push((await Promise.all(rules.map((d) => d.flush(state)))).flat());
  }
  return perHour;
}

/** An hour of ordinary responses (300 flows to the usual 150 internal and 150 external clients). */
const background = (seed: number, h: number) =>
  egressHour(prng(seed + h), T0 + h * HOUR, { flows: 300 }).records;

const naming = (alerts: Alert[], peer: string) => alerts.filter((a) => a.principal?.id === peer);
/** The new-external-peer alerts naming `peer` (its big flows also raise egress-flow). */
const newPeer = (alerts: Alert[], peer: string) =>
  naming(alerts, peer).filter((a) => a.context.rule === 'new-external-peer');

describe('egress: internal peers against their own history', () => {
  it('an internal peer that pulls GBs every hour is normal for itself: nothing, even on its first day', async () => {
    // Prepare: 30 hours of a batch consumer pulling 30 × ~120 MB an hour, then a heavier hour.
    const rng = prng(11);
    const files = Array.from({ length: 31 }, (_, h) => [
      ...background(100, h),
      ...Array.from({ length: 30 }, (_, i) =>
        flow(T0 + h * HOUR + i * 60_000, CONSUMER, Math.round(rng.logNormal(120e6, 0.3)), 40_000 + i),
      ),
    ]);
    // Act
    const alerts = (await hours(detectConfig(), files)).flat();
    // Assess: its 3.6 GB windows are far above the endpoint's 20 KB flows, yet raise nothing.
    expect(naming(alerts, CONSUMER)).toEqual([]);
    expect(alerts).toEqual([]);
  });

  it('an internal peer far above its own history: an egress-volume signal that says so', async () => {
    // Prepare: 25 hours of 10 × 2 MiB to the consumer, then 50 × 100 MiB.
    const files = Array.from({ length: 26 }, (_, h) => [
      ...background(200, h),
      ...(h < 25
        ? transfer(T0 + h * HOUR, CONSUMER, 10, 2 * MiB)
        : transfer(T0 + h * HOUR, CONSUMER, 50, 100 * MiB)),
    ]);
    // Act
    const perHour = await hours(detectConfig(), files);
    // Assess
    expect(perHour.slice(0, 25).flat()).toEqual([]);
    const [a, ...rest] = perHour[25] ?? [];
    expect(rest).toEqual([]);
    expect(a?.context).toMatchObject({
      rule: 'egress-internal-peer',
      evidence: {
        endpoint: ENDPOINT,
        peer: CONSUMER,
        scope: 'internal-peer',
        peerBytes: 50 * 100 * MiB,
        against: 'own-history',
        baselineSamples: 25,
        zThreshold: 6,
      },
    });
    const signal = signalOf(a as Alert);
    expect(signal?.kind).toBe('egress-volume');
    expect(signal?.says).toMatch(
      /^5\.2 GB to internal peer 10\.20\.12\.5 in 60 min, far above its own history \(median 2\d MB over 25 windows\)$/,
    );
  });

  it('with fewer than minOwnWindows windows of history, an internal peer is learned, not judged', async () => {
    const files = Array.from({ length: 6 }, (_, h) => [
      ...background(300, h),
      ...(h < 5
        ? transfer(T0 + h * HOUR, CONSUMER, 10, 2 * MiB)
        : transfer(T0 + h * HOUR, CONSUMER, 50, 100 * MiB)),
    ]);
    expect((await hours(detectConfig(), files)).flat()).toEqual([]);
    // The same history with a lower bar judges it.
    const config = detectConfig({ thresholds: { egress: { minOwnWindows: 5 } } });
    const judged = (await hours(config, files)).flat();
    expect(judged.map((a) => a.context.rule)).toEqual(['egress-internal-peer']);
  });
});

describe('egress: a new external peer against the largest earlier peer', () => {
  const PARTNER = '198.51.100.7';
  const NEW = '203.0.113.51';
  // Hour 0: learning, and a partner that receives 150 MiB (the largest external window so far).
  const history = () => [[...background(400, 0), ...transfer(T0, PARTNER, 3, 50 * MiB)], background(400, 1)];
  const largest = Math.round(2 ** (binOf(150 * MiB) / 8));

  it.each([
    ['below priorFactor × the largest earlier window: nothing', 1024 * MiB, []],
    ['above it: the signal, medium on its own', 2048 * MiB, ['new-external-peer']],
  ])('%s', async (_, bytes, rules) => {
    // Prepare
    const files = [...history(), [...background(400, 2), ...transfer(T0 + 2 * HOUR, NEW, 2, bytes / 2)]];
    // Act
    const perHour = await hours(detectConfig(), files);
    // Assess
    expect(perHour.slice(0, 2).flat()).toEqual([]);
    const found = newPeer(perHour[2] ?? [], NEW);
    expect(found.map((a) => a.context.rule)).toEqual(rules);
    if (!rules.length) return;
    expect(found[0]?.context.evidence).toMatchObject({
      endpoint: ENDPOINT,
      peer: NEW,
      bytes,
      largestPriorPeerBytes: largest,
      priorFactor: 10,
    });
    expect(signalOf(found[0] as Alert)?.says).toBe(
      `new external peer ${NEW} received 2.1 GB in 60 min, ${Math.round(bytes / largest)} times the most any external peer received in a window before (160 MB)`,
    );
    expect(correlate(found)[0]).toMatchObject({
      confidence: 'medium',
      context: { combination: 'new external peer far above every earlier peer' },
    });
  });

  it('a peer inside expectedNetworks is never a new external peer', async () => {
    const config = detectConfig({ expectedNetworks: ['10.20.0.0/16', '203.0.113.0/24'] });
    const files = [...history(), [...background(400, 2), ...transfer(T0 + 2 * HOUR, NEW, 2, 1024 * MiB)]];
    const perHour = await hours(config, files);
    expect(newPeer(perHour.flat(), NEW)).toEqual([]);
  });

  it("the window that raised the signal is not the next peer's bar", async () => {
    const files = [
      ...history(),
      [...background(400, 2), ...transfer(T0 + 2 * HOUR, NEW, 2, 1024 * MiB)],
      [...background(400, 3), ...transfer(T0 + 3 * HOUR, '203.0.113.52', 2, 1024 * MiB)],
    ];
    const perHour = await hours(detectConfig(), files);
    expect(newPeer(perHour[2] ?? [], NEW)).toHaveLength(1);
    expect(newPeer(perHour[3] ?? [], '203.0.113.52').map((a) => a.context.evidence)).toEqual([
      expect.objectContaining({ largestPriorPeerBytes: largest }),
    ]);
  });
});
