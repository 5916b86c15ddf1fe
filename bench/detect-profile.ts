/**
 * Scans one format's generated input (bench/detect-input.ts) through a scan session, for a CPU
 * profile of parse + detect: `node --cpu-prof --cpu-prof-dir=/tmp/prof bench/detect-profile.ts
 * vpc-flow [MB]`, then read the top self-time functions. Prints records/s of the last of 3 rounds.
 */
import { Readable } from 'node:stream';
import { memoryWindowStore } from '../core/detect/memory-window-store.ts';
import { createScanSession } from '../core/detect/scan.ts';
import { type FormatName, PACKS } from '../packs/index.ts';
import { config, generate, MB } from './detect-input.ts';

const format = (process.argv[2] ?? 'vpc-flow') as FormatName;
const chunks = [...generate(format, Number(process.argv[3] ?? 32) * MB)];
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  const { stats } = await createScanSession(config, memoryWindowStore(), { packs: PACKS }).scan(
    Readable.from(chunks),
  );
  const seconds = (performance.now() - t) / 1000;
  console.log(
    `${format} ${stats.units} units, ${Math.round(stats.units / seconds).toLocaleString('en')} rec/s`,
  );
}
