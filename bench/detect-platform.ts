/**
 * Platform-day benchmark (`npm run bench:detect:platform`): generates a full-size day of LLM
 * platform logs (test/detect/platform/: every benign workload and every attack kind), scans it
 * through the real scan session and decide(), and prints per detector and overall precision,
 * recall and false containments, benign sessions the revocations cut off, plus generation and scan time.
 * Knobs: BENCH_PLATFORM_SEEDS (comma list, default 1,2,3), BENCH_PLATFORM_SCALE (share of a full
 * day's actors, default 1), BENCH_PLATFORM_RANGE_MB (bytes per ranged GET of a loader, default 64).
 */
import { generateDay } from '../test/detect/platform/day.ts';
import { formatResult, scanDay } from '../test/detect/platform/harness.ts';

const seeds = (process.env.BENCH_PLATFORM_SEEDS ?? '1,2,3').split(',').map(Number);
const scale = Number(process.env.BENCH_PLATFORM_SCALE ?? 1);
const rangeBytes = Number(process.env.BENCH_PLATFORM_RANGE_MB ?? 64) * 1024 ** 2;

let falseContainments = 0;
let cutOff = 0;
let collateral = 0;
for (const seed of seeds) {
  const t0 = performance.now();
  const day = generateDay(seed, { scale, rangeBytes });
  const t1 = performance.now();
  const result = await scanDay(day);
  const t2 = performance.now();
  falseContainments += result.falseContainments.length;
  cutOff += result.cutOff.length;
  collateral += result.collateral;
  console.log(formatResult(result));
  console.log(
    `[platform-day] seed ${seed}: generated in ${((t1 - t0) / 1000).toFixed(1)} s, scanned and decided in ${((t2 - t1) / 1000).toFixed(1)} s (${(result.bytes / 1e6 / ((t2 - t1) / 1000)).toFixed(1)} MB/s), requests per source ${JSON.stringify(day.counts)}\n`,
  );
}
console.log(
  `[platform-day] ${seeds.length} day(s), scale ${scale}: ${falseContainments} false containments in total; ${cutOff} benign sessions cut off by true findings' revocations (of ${collateral} sharing a revoked principal)`,
);
