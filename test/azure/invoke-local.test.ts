/**
 * `npm run invoke:azure`: the functions called through the handlers they register, no host, no
 * credentials, the example configuration in dry-run mode (nothing is called, as docs/azure.md says).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NO_CREDENTIALS } from '../cli/run-cli.ts';

function invoke(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NO_CREDENTIALS };
  delete env.TOURNIQUET_CONFIG;
  const r = spawnSync(process.execPath, ['build/invoke-azure.ts', ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run invoke:azure', () => {
  it('plans through the registered manual function (HTTP)', () => {
    const event = readFileSync('examples/events/azure-defender-data-exfiltration.json', 'utf8');
    const r = invoke(
      'tourniquet-manual',
      '--data',
      JSON.stringify({ command: 'plan', event: JSON.parse(event) }),
    );
    expect(r.code, r.err).toBe(0);
    const { status, body } = JSON.parse(r.out);
    expect([status, body.command, body.decisions[0].decision]).toEqual([200, 'plan', 'contain']);
    expect(r.err).toMatch(/the example configuration, in dry-run mode/);
  });

  it.each([
    ['tourniquet-events', 'examples/events/azure-defender-data-exfiltration.json'],
    ['tourniquet-alert', 'examples/events/azure-monitor-activity-log-listkeys.json'],
  ])('runs %s on %s in dry-run: every action skipped, nothing called', (name, file) => {
    const r = invoke(name, '--path', file);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/"decision":"contain"/);
    expect(r.err).toMatch(/"status":"dry-run"/);
    expect(r.err).not.toMatch(/applied|failed/);
  });

  it('names the functions there are when asked for one that is not', () => {
    const r = invoke('tourniquet-nope', '--data', '{}');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no function tourniquet-nope: .*tourniquet-manual/);
  });
});
