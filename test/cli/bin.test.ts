/**
 * The `tourniquet` bin as installed: the bundle on the machine's own Node (20 on the documented
 * machines, run directly, without npm), and what it says when the bundle is missing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_CREDENTIALS } from './run-cli.ts';

/** The first Node on PATH outside node_modules (the machine's), else this one. */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir.includes('node_modules') && existsSync(join(dir, 'node'))) return join(dir, 'node');
  }
  return process.execPath;
}

const run = (node: string, bin: string, ...args: string[]) => {
  const r = spawnSync(node, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...NO_CREDENTIALS },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** A copy of the package without dist/: the bin copied, everything else linked. */
function withoutBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tq-nobundle-'));
  for (const entry of readdirSync('.')) {
    if (entry !== 'dist' && entry !== 'bin') symlinkSync(resolve(entry), join(dir, entry));
  }
  mkdirSync(join(dir, 'bin'));
  copyFileSync('bin/tourniquet.js', join(dir, 'bin/tourniquet.js'));
  return dir;
}

describe('the tourniquet bin', () => {
  it("runs the bundle on the machine's own Node, with only Tourniquet's lines", () => {
    const node = machineNode();
    const version = run(node, 'bin/tourniquet.js', '--version');
    expect(version.code, version.err).toBe(0);
    expect(version.out).toMatch(/^tourniquet \d+\.\d+\.\d+ \(Node \d+\.\d+\.\d+\)\n$/);
    const plan = run(
      node,
      'bin/tourniquet.js',
      'plan',
      '--event',
      'examples/events/guardduty-s3-exfiltration.json',
      '--config',
      'examples/tourniquet.config.json',
      '-o',
      'text',
    );
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).toMatch(/^DECISION\tcontain\taws-guardduty-/m);
    expect(plan.err).not.toMatch(/warn|Warning|EBADENGINE/i);
  });

  it('prints usage on stderr and exits 1 when given nothing', () => {
    const r = run(process.execPath, 'bin/tourniquet.js');
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(/^Usage: tourniquet <command>/);
  });

  it('without the bundle, runs the TypeScript sources on a Node that strips types, and says so', () => {
    const r = run(process.execPath, join(withoutBundle(), 'bin/tourniquet.js'), '--version');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /no CLI bundle \(dist\/cli\/main\.mjs\): running the TypeScript sources; `npm run build:cli` builds it/,
    );
  });

  it('without the bundle, on a Node that cannot strip types, says how to build it and exits 1', () => {
    const r = spawnSync(
      process.execPath,
      ['--no-experimental-strip-types', join(withoutBundle(), 'bin/tourniquet.js'), '--version'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /the CLI bundle dist\/cli\/main\.mjs is missing .*\nBuild it in the Tourniquet folder with `npm run build:cli`/,
    );
  });
});
