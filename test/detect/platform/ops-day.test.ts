import { describe, expect, it } from 'vitest';
import type { PlatformDay } from './day.ts';
import { assertNoFalseContainments, type DayResult, formatResult, scanDay } from './harness.ts';
import { formatWorkloads, generateOpsDay, opsConfig, perWorkload } from './ops-day.ts';

/** As platform-day.test.ts: a tenth of the actors, 512 MiB ranges for the fleet loaders. */
const SEEDS = [1, 2, 3];
const OPTIONS = { scale: 0.1, rangeBytes: 512 * 1024 ** 2 };

const runs = new Map<number, { day: PlatformDay; r: DayResult }>();
async function run(seed: number) {
  let x = runs.get(seed);
  if (!x) {
    const day = generateOpsDay(seed, OPTIONS);
    const r = await scanDay(day, opsConfig());
    x = { day, r };
    runs.set(seed, x);
    console.log(formatResult(r));
    console.log(formatWorkloads(seed, perWorkload(day, r)));
  }
  return x;
}

describe.each(SEEDS)("ops day (the reviewer's heavy legitimate workloads), seed %i", (seed) => {
  it('every file is read as the format it was written in, nothing malformed', async () => {
    const { r } = await run(seed);
    expect(r.misSniffed).toEqual([]);
    expect(r.malformed).toBe(0);
  });

  it('every attack mixed into the day is still found, naming the actor', async () => {
    const { r } = await run(seed);
    expect(r.missed.map((a) => a.id)).toEqual([]);
    expect(r.overall.pinned).toBe(r.overall.attacks);
  });

  it('no benign actor of any workload would be contained, the notebook reading one adapter in ranges included', async () => {
    const { r } = await run(seed);
    assertNoFalseContainments(r);
  });

  it('the service-role copies, the DR failover, the canary echo and the test callers never reach containment', async () => {
    const { day, r } = await run(seed);
    const rows = perWorkload(day, r);
    const contained = (what: RegExp) =>
      rows.filter((w) => what.test(w.what)).reduce((n, w) => n + w.falseContainments, 0);
    expect(
      contained(
        /AWS Backup|DataSync|DR failover|SageMaker endpoint|canary|AzCopy|load test|eval|red-team|support engineer|retention/,
      ),
    ).toBe(0);
    // The backup and DataSync roles are known readers copying through the service (no address):
    // trusted, a low signal only, so they do not even escalate every night.
    expect(rows.find((w) => w.what.startsWith('AWS Backup'))?.mediums ?? 0).toBe(0);
  });
});
