import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEDULED = new Set(['posture.zip', 'grants.zip']);
const RUNS = 9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Each Lambda zip from `serverless package`: its size, and its cold load as a ratio to bare node. */
export function zipsAndLoad(): void {
  const run = spawnSync(process.execPath, ['node_modules/.bin/serverless', 'package'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`serverless package failed:\n${run.stdout}${run.stderr}`);
  const zips = readdirSync('.serverless').filter((f) => f.endsWith('.zip'));
  const time = (args: string[], cwd?: string) => {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    return performance.now() - start;
  };
  const bare = median(Array.from({ length: RUNS }, () => time(['-e', '0'])));
  console.log(`bare node -e 0: ${bare.toFixed(0)} ms (median of ${RUNS})`);
  for (const zip of zips) {
    const bytes = statSync(join('.serverless', zip)).size;
    const dir = mkdtempSync(join(tmpdir(), 'tourniquet-bench-'));
    try {
      spawnSync('unzip', ['-q', join(process.cwd(), '.serverless', zip), '-d', dir]);
      const entry = readdirSync(join(dir, 'functions-aws/handlers')).find((f) => f.endsWith('.mjs')) ?? '';
      const code = `await import('./functions-aws/handlers/${entry}')`;
      const load = median(Array.from({ length: RUNS }, () => time(['--input-type=module', '-e', code], dir)));
      // The scheduled functions (posture, grants) are off the containment path: no size or load target.
      const scheduled = SCHEDULED.has(zip);
      console.log(
        `aws zip ${zip}: ${(bytes / 1024).toFixed(0)} KB${scheduled ? ' (scheduled, no target)' : ' (target ≤ 300 KB)'}; cold load ${load.toFixed(0)} ms = ${(load / bare).toFixed(2)}× bare node${scheduled ? '' : ' (target ≤ 3×)'}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
