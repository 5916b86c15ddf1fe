/**
 * CLI start-up, printed as text lines (`node bench/cli.ts`; `npm run bench` runs it): the median wall
 * time of `tourniquet plan` on the README's example, against bare `node -e 0` in the same run and
 * with the same Node, spawned alternately so load hits both alike (target ≤ 5×). For every Node
 * found: the project's (npm/npx put Node 22 first) and the machine's own (Node 20 here), which runs
 * the bundle only; and, for comparison, the TypeScript sources stripped at start (Node 22 only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { buildCli } from '../build/cli-bundle.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PLAN = [
  'plan',
  '--event',
  'examples/events/guardduty-s3-exfiltration.json',
  '--config',
  'examples/tourniquet.config.json',
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function time(node: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(node, args, { stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`${node} ${args.join(' ')} exited ${run.status}`);
  return performance.now() - start;
}

/** The Nodes to measure: this one, and the first other one on PATH outside node_modules. */
function nodes(): { node: string; version: string }[] {
  const found = [{ node: process.execPath, version: process.version }];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const node = join(dir, 'node');
    if (dir.includes('node_modules') || !existsSync(node)) continue;
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (version && version !== process.version) return [...found, { node, version }];
  }
  return found;
}

function measure(node: string, label: string, args: string[]): void {
  const bare: number[] = [];
  const cli: number[] = [];
  time(node, args); // warm the file cache (and the compile cache where Node has one)
  for (let i = 0; i < RUNS; i++) {
    bare.push(time(node, ['-e', '0']));
    cli.push(time(node, args));
  }
  const ratio = median(cli) / median(bare);
  console.log(
    `cli start-up, ${label}: plan ${median(cli).toFixed(0)} ms vs bare node ${median(bare).toFixed(0)} ms = ${ratio.toFixed(1)}× (target ≤ 5×, medians of ${RUNS})`,
  );
}

const built = await buildCli();
console.log(
  `cli bundle: ${(built.bytes / 1024).toFixed(0)} KiB in dist/cli (entry ${(built.entryBytes / 1024).toFixed(0)} KiB; the SDK paths are chunks plan never loads)`,
);
for (const { node, version } of nodes())
  measure(node, `bundle on Node ${version}`, ['bin/tourniquet.js', ...PLAN]);
// The sources, as the bin ran them before the bundle: Node 22 strips the types of every file at
// each start (`--` and a placeholder, so the CLI's own arguments start at argv[2]).
const sources = ['--input-type=module', '-e', "await (await import('./cli/main.ts')).runCli()", '--', '-'];
measure(process.execPath, `TypeScript sources on Node ${process.version}`, [...sources, ...PLAN]);
