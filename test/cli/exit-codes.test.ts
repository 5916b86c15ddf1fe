/**
 * The same cause gives the same exit code in every command, the codes are listed in each --help and
 * in the README, and each command is spawned once per code it can return.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/index.ts';
import { EXIT, EXIT_MEANINGS } from '../../cli/exit-codes.ts';
import { fullHelp } from '../../cli/main.ts';
import { GRANT_ARGS, inProcess, tourniquet } from './run-cli.ts';

const CONFIG = ['--config', 'examples/tourniquet.config.json'];
const EVENT = 'examples/events/guardduty-s3-exfiltration.json';
const NOT_JSON = 'test/fixtures/aws/hostile/truncated.json';
const GRANT = GRANT_ARGS;
const tmp = (name: string) => join(mkdtempSync(join(tmpdir(), 'tq-exit-')), name);

let drill: string;
let id: string;
let broken: string;
let tampered: string;
let dryRunConfig: string;
beforeAll(async () => {
  drill = tmp('drill');
  const r = await inProcess('exercise', '--event', EVENT, '--out', drill, ...CONFIG);
  expect(r.code, r.err).toBe(0);
  id = JSON.parse(r.out).incidents[0].incidentId;
  // The same drill, where the quarantined bucket has since been deleted: its release cannot finish.
  broken = tmp('broken');
  cpSync(drill, broken, { recursive: true });
  const sim = JSON.parse(readFileSync(join(broken, 'simulation.json'), 'utf8'));
  sim.aws.s3.buckets = sim.aws.s3.buckets.filter((b: { name: string }) => b.name !== 'models-prod');
  writeFileSync(join(broken, 'simulation.json'), JSON.stringify(sim));
  // The same drill, one journal entry changed after its seal recorded it.
  tampered = tmp('tampered');
  cpSync(drill, tampered, { recursive: true });
  const entry = join(tampered, 'incidents', id, 'journal', 'contain', 'a2', '001-after.json');
  writeFileSync(entry, readFileSync(entry, 'utf8').replace('"applied"', '"applieD"'));
  dryRunConfig = tmp('dry-run.json');
  const example = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8'));
  writeFileSync(dryRunConfig, JSON.stringify({ ...example, mode: 'dry-run' }));
}, 60_000);

describe('the exit codes', () => {
  it('are the table in the README, code for code', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Exit codes'));
    const rows = [...section.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(
      Object.entries(EXIT).map(([name, code]) => [code, EXIT_MEANINGS[name as keyof typeof EXIT]]),
    );
  });

  it.each(commands.map((c) => [c.name, c] as const))(
    'are listed in tourniquet %s --help',
    (_name, command) => {
      const help = fullHelp(command);
      for (const name of command.exits) expect(help).toContain(`  ${EXIT[name]}  ${EXIT_MEANINGS[name]}`);
      expect(help.match(/^ {2}\d {2}/gm)).toHaveLength(command.exits.length);
    },
  );
});

/** [command, arguments, code]: one spawn per code each command can return. */
const CASES: [string, () => string[], number][] = [
  ['plan', () => ['plan', '--event', EVENT, ...CONFIG], EXIT.ok],
  ['plan', () => ['plan', ...CONFIG], EXIT.usage],
  ['plan', () => ['plan', '--event', NOT_JSON, ...CONFIG], EXIT.rejected],
  [
    'contain',
    () => [
      'contain',
      '--principal',
      'arn:aws:iam::111122223333:role/x',
      '--reason',
      'r',
      '--dry-run',
      ...CONFIG,
    ],
    EXIT.ok,
  ],
  [
    'contain',
    () => ['contain', '--bucket', 'models-prod', '--reason', 'r', '--dryrun', ...CONFIG],
    EXIT.usage,
  ],
  ['contain', () => ['contain', '--event', NOT_JSON, '--reason', 'r', ...CONFIG], EXIT.rejected],
  [
    'contain',
    () => ['contain', '--bucket', 'not-an-asset', '--reason', 'r', '--dry-run', ...CONFIG],
    EXIT.rejected,
  ],
  [
    'contain',
    () => ['contain', '--journal', broken, '--bucket', 'models-prod', '--reason', 'r', ...CONFIG],
    EXIT.incomplete,
  ],
  ['contain', () => ['contain', '--bucket', 'models-prod', '--reason', 'r', ...CONFIG], EXIT.credentials],
  [
    'release',
    () => ['release', '--journal', drill, '--incident', id, '--reason', 'r', '--dry-run', ...CONFIG],
    EXIT.ok,
  ],
  ['release', () => ['release', '--incident', id, ...CONFIG], EXIT.usage],
  [
    'release',
    () => ['release', '--journal', broken, '--incident', id, '--reason', 'r', ...CONFIG],
    EXIT.incomplete,
  ],
  ['release', () => ['release', '--incident', id, '--reason', 'r', ...CONFIG], EXIT.credentials],
  ['scan', () => ['scan', '--input', 'test/fixtures/logs/s3-access.log', ...CONFIG], EXIT.ok],
  ['scan', () => ['scan', '--input', 'test/fixtures/logs/nope.log', ...CONFIG], EXIT.usage],
  [
    'scan',
    () => ['scan', '--input', 'README.md', 'test/fixtures/logs/s3-access.log', ...CONFIG],
    EXIT.rejected,
  ],
  ['incidents', () => ['incidents', 'list', '--journal', drill, ...CONFIG], EXIT.ok],
  ['incidents', () => ['incidents', 'show', 'no-such-incident', '--journal', drill, ...CONFIG], EXIT.usage],
  ['incidents', () => ['incidents', 'list', ...CONFIG], EXIT.credentials],
  ['report', () => ['report', id, '--journal', drill, '--format', 'json', ...CONFIG], EXIT.ok],
  ['report', () => ['report', id, '--journal', drill, '--format', 'docx', ...CONFIG], EXIT.usage],
  ['report', () => ['report', id, ...CONFIG], EXIT.credentials],
  ['verify', () => ['verify', id, '--journal', drill, ...CONFIG], EXIT.ok],
  ['verify', () => ['verify', ...CONFIG], EXIT.usage],
  ['verify', () => ['verify', id, '--journal', tampered, ...CONFIG], EXIT.failed],
  ['verify', () => ['verify', id, ...CONFIG], EXIT.credentials],
  [
    'posture',
    () => [
      'posture',
      '--snapshot',
      'examples/posture/snapshot.json',
      '--cloud',
      'azure',
      '--identities',
      ...CONFIG,
    ],
    EXIT.ok,
  ],
  ['posture', () => ['posture', '--fix', ...CONFIG], EXIT.usage],
  ['posture', () => ['posture', '--snapshot', NOT_JSON, ...CONFIG], EXIT.rejected],
  ['posture', () => ['posture', '--snapshot', 'examples/posture/snapshot.json', ...CONFIG], EXIT.failed],
  ['posture', () => ['posture', '--cloud', 'aws', ...CONFIG], EXIT.credentials],
  ['grant', () => ['grant', ...GRANT, '--config', dryRunConfig], EXIT.ok],
  ['grant', () => ['grant', ...GRANT, '--for', '2 days', ...CONFIG], EXIT.usage],
  ['grant', () => ['grant', ...GRANT, ...CONFIG], EXIT.credentials],
  ['exercise', () => ['exercise', '--event', EVENT, '--out', tmp('x'), ...CONFIG], EXIT.ok],
  ['exercise', () => ['exercise', '--event', EVENT, ...CONFIG], EXIT.usage],
  ['exercise', () => ['exercise', '--event', NOT_JSON, '--out', tmp('x'), ...CONFIG], EXIT.rejected],
];

/**
 * Codes a command can return that no spawn here can bring about, and why. An exercise's actions
 * fail only where a test injects a fault into the simulated clouds; the same failure is exit 4 of
 * contain and release above, and core/handle.test.ts covers failures as values. A grant's actions
 * fail only in a real cloud (it has no exercise mode); its failure maps to 4 as contain's does.
 */
const NOT_SPAWNED: Record<string, number[]> = { exercise: [EXIT.incomplete], grant: [EXIT.incomplete] };

describe.each(commands.map((c) => [c.name, c.exits] as const))('tourniquet %s', (name, exits) => {
  const cases = CASES.filter(([command]) => command === name);

  it('is spawned here once for each exit code it can return', () => {
    const spawned = new Set([...cases.map(([, , code]) => code), ...(NOT_SPAWNED[name] ?? [])]);
    expect(spawned).toEqual(new Set(exits.map((e) => EXIT[e])));
  });

  it.each(cases.map(([, args, code]) => [code, args] as const))('exits %i', (code, args) => {
    const r = tourniquet(...args());
    expect(r.code, `${r.out}\n${r.err}`).toBe(code);
  });
});

describe('the same input, the same code', () => {
  it.each([
    ['plan', ['plan', '--event', NOT_JSON]],
    ['contain', ['contain', '--event', NOT_JSON, '--reason', 'r', '--dry-run']],
    ['exercise', ['exercise', '--event', NOT_JSON, '--out', 'x']],
  ])("a non-JSON event is input rejected (2) in %s, with the parser's reason", async (_name, args) => {
    const r = await inProcess(...args, ...CONFIG);
    expect(r.code).toBe(EXIT.rejected);
    expect(r.err + r.out).toMatch(/not valid JSON/);
  });

  it.each([
    ['plan', ['plan', '--event', EVENT, '--evnt']],
    ['contain', ['contain', '--bucket', 'models-prod', '--reason', 'r', '--dryrun']],
    ['release', ['release', '--incident', 'aws-guardduty-0123', '--reason', 'r', '--include-evidense']],
    ['scan', ['scan', '--input', 'x', '--fromat', 'cloudtrail']],
  ])('an unknown option is a usage error (1) in %s, with the likely one', async (_name, args) => {
    const r = await inProcess(...args, ...CONFIG);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/unknown option --\S+: did you mean --\S+\?/);
  });
});
