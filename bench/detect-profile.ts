/**
 * Scans one format's generated input (bench/detect-input.ts) for a CPU profile of parse + detect:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof bench/detect-profile.ts vpc-flow [MB] [rounds]`, then
 * read the top self-time functions. Also prints the ratio of the raw baseline's CPU time to the
 * pipeline's (best of the rounds, alternating): on a shared machine CPU time moves far less with
 * the load than wall time does, so it tells a small change apart where bench/detect.ts cannot.
 */
import { FORMAT_NAMES, type FormatName } from '../packs/index.ts';
import { baseline, full, generate, MB } from './detect-input.ts';

const USAGE = `usage: node bench/detect-profile.ts <format> [MB, default 32] [rounds, default 3]
formats: ${FORMAT_NAMES.join(', ')}`;
const arg = process.argv[2] ?? 'vpc-flow';
if (arg === '--help' || arg === '-h') {
  console.log(USAGE);
  process.exit(0);
}
if (!(FORMAT_NAMES as readonly string[]).includes(arg)) {
  console.error(`unknown format ${JSON.stringify(arg)}\n${USAGE}`);
  process.exit(2);
}
const format = arg as FormatName;
const chunks = [...generate(format, Number(process.argv[3] ?? 32) * MB)];
const rounds = Number(process.argv[4] ?? 3);
const cpuMs = async (run: () => Promise<number>) => {
  const start = process.cpuUsage();
  const records = await run();
  const used = process.cpuUsage(start);
  return { records, ms: (used.user + used.system) / 1000 };
};
let raw = Number.POSITIVE_INFINITY;
let ours = Number.POSITIVE_INFINITY;
let records = 0;
for (let round = 0; round < rounds; round++) {
  raw = Math.min(raw, (await cpuMs(() => baseline(format, chunks))).ms);
  const r = await cpuMs(() => full(chunks));
  ours = Math.min(ours, r.ms);
  records = r.records;
}
console.log(
  `${format} ${records} units: pipeline ${Math.round(ours)} ms CPU, raw ${Math.round(raw)} ms CPU, ratio ${(raw / ours).toFixed(2)}`,
);
