import { describe, expect, it } from 'vitest';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import type { FlowRecord } from '../../core/detect/records.ts';
import { BINS_PER_DOUBLING, binOf } from '../../core/detect/robust-baseline.ts';
import { newExternalPeerDetector } from '../../core/detect/rules/new-external-peer.ts';
import { MAX_COUNTERS_PER_KEY } from '../../core/detect/window-store.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { T0 } from './traffic/weights-traffic.ts';

const ENDPOINT = 'eni-0f1e2d3c4b5a69788|10.20.1.15';

const flow = (i: number, bytes: number): FlowRecord => ({
  kind: 'flow',
  cloud: 'aws',
  account: ACCOUNT,
  at: T0 + 60_000 + i,
  interfaceId: 'eni-0f1e2d3c4b5a69788',
  src: '10.20.1.15',
  dst: `52.${i >> 8}.${i & 255}.7`,
  srcPort: 8000,
  dstPort: 40_000 + i,
  protocol: 6,
  bytes,
  direction: 'egress',
});

describe('new-external-peer window histograms are capped like the egress-volume ones', () => {
  it('425 external peer windows, one per bin from 1 B to 2^53 B: every window is one sample, in at most MAX_COUNTERS_PER_KEY bins', async () => {
    // Prepare: one external peer window in each of 425 distinct bins (8 per doubling).
    const records = Array.from({ length: 425 }, (_, k) => flow(k, Math.ceil(2 ** (k / BINS_PER_DOUBLING))));
    expect(new Set(records.map((r) => binOf(r.bytes))).size).toBeGreaterThan(MAX_COUNTERS_PER_KEY);
    const state = memoryWindowStore();
    const rule = newExternalPeerDetector(detectConfig());
    // Act
    for (const r of records) rule.observe(r);
    await rule.flush(state);
    // Assert: without the cap the store keeps 250 of the bins and drops the other windows' samples.
    const bins = Object.entries(state.counters.get(`new-external-peer|windows|${ENDPOINT}`) ?? {}).filter(
      ([name]) => /^b\d+$/.test(name),
    );
    expect(bins.length).toBeLessThanOrEqual(MAX_COUNTERS_PER_KEY);
    expect(bins.reduce((a, [, n]) => a + n, 0)).toBe(425);
  });
});
