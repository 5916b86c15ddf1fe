/**
 * Every command's output as a user meets it: a table with colour on a terminal (none with NO_COLOR),
 * JSON when stdout is a pipe (byte for byte the contract scripts read), tab-separated rows with
 * --output text; the summary that says whether anything changed, who was told, what to run next.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { withMemberRoles } from '../../core/own-identities.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { ESC, GRANT_ARGS, inProcess, onTerminal, plain, tourniquet } from './run-cli.ts';

const CONFIG = ['--config', 'examples/tourniquet.config.json'];
const EVENT = 'examples/events/guardduty-s3-exfiltration.json';
const fresh = () => join(mkdtempSync(join(tmpdir(), 'tq-out-')), 'drill');

let drill: string;
let id: string;
let dryRunConfig: string;
beforeAll(async () => {
  drill = fresh();
  const r = await inProcess('exercise', '--event', EVENT, '--out', drill, ...CONFIG);
  expect(r.code, r.err).toBe(0);
  id = JSON.parse(r.out).incidents[0].incidentId;
  dryRunConfig = join(drill, '..', 'dry-run.json');
  const example = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8'));
  writeFileSync(dryRunConfig, JSON.stringify({ ...example, mode: 'dry-run' }));
}, 60_000);

/** One invocation of every command (exercise gets a new folder each time). */
const COMMANDS: [string, () => string[], RegExp][] = [
  ['plan', () => ['plan', '--event', EVENT, ...CONFIG], /^PLAN ONLY — nothing was changed/m],
  [
    'contain',
    () => ['contain', '--bucket', 'models-prod', '--reason', 'drill', '--dry-run', ...CONFIG],
    /^DRY RUN — nothing was changed: 4 actions would run/m,
  ],
  [
    'release',
    () => ['release', '--journal', drill, '--incident', id, '--reason', 'drill', '--dry-run', ...CONFIG],
    /^DRY RUN — nothing was changed: release would undo 2 action\(s\)/m,
  ],
  [
    'exercise',
    () => ['exercise', '--event', EVENT, '--out', fresh(), ...CONFIG],
    /^ENFORCED \(simulated\) — /m,
  ],
  ['incidents list', () => ['incidents', 'list', '--journal', drill, ...CONFIG], /^1 incident in /m],
  ['incidents show', () => ['incidents', 'show', id, '--journal', drill, ...CONFIG], /: contained$/m],
  ['verify', () => ['verify', id, '--journal', drill, ...CONFIG], /VERIFIED/],
  [
    'report --out',
    () => [
      'report',
      id,
      '--journal',
      drill,
      '--format',
      'md',
      '--out',
      join(fresh(), '..', 'pack.md'),
      ...CONFIG,
    ],
    /^wrote the md evidence pack/m,
  ],
  [
    'posture',
    () => ['posture', '--snapshot', 'examples/posture/snapshot.json', '--cloud', 'azure', ...CONFIG],
    /^POSTURE — 9 pass, 0 fail, 0 unknown \(read-only: nothing was changed\)/m,
  ],
  [
    'grant',
    () => ['grant', ...GRANT_ARGS, '--config', dryRunConfig],
    /^DRY RUN — nothing was changed: 1 action would run/m,
  ],
  [
    'scan',
    () => ['scan', '--input', 'test/fixtures/logs/cloudtrail-s3.json', ...CONFIG],
    /alerts? from 1 file; nothing was changed/,
  ],
];

describe.each(COMMANDS)('tourniquet %s', (_name, args, summary) => {
  it('prints a table and its summary on a terminal, in colour', () => {
    // Act
    const r = onTerminal(args());
    // Assess: no JSON, the summary a person reads, colour escapes.
    expect(r.code, r.out).toBe(0);
    expect(plain(r.out)).not.toMatch(/^[[{]/);
    expect(plain(r.out)).toMatch(summary);
    expect(r.out).toContain(ESC);
  });

  it('prints JSON on stdout when it is not a terminal, and the summary on stderr', () => {
    const r = tourniquet(...args());
    expect(r.code, r.err).toBe(0);
    const lines = args()[0] === 'scan' ? r.out.split('\n').filter(Boolean) : [r.out];
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.err).toMatch(summary);
    expect(r.out + r.err).not.toContain(ESC);
  });

  it('prints tab-separated rows with --output text, each named by its kind', async () => {
    const r = await inProcess(...args(), '--output', 'text');
    expect(r.code, r.err).toBe(0);
    for (const line of r.out.split('\n').filter(Boolean)) expect(line).toMatch(/^[A-Z]+\t[^\t]*/);
  });
});

describe('colour', () => {
  it.each([
    ['NO_COLOR', { NO_COLOR: '1' }],
    ['a dumb terminal asking for none', { NO_COLOR: 'true' }],
  ])('is off on a terminal with %s', (_name, env) => {
    const r = onTerminal(['plan', '--event', EVENT, ...CONFIG], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^CONTAIN aws-guardduty-/m);
    expect(r.out).not.toContain(ESC);
  });
});

describe('the JSON contract', () => {
  it('plan prints the decision exactly as core decides it, indented two spaces', () => {
    const r = tourniquet('plan', '--event', EVENT, ...CONFIG);
    const printed = JSON.parse(r.out);
    // The example's role is a known reader (a shared workload): the deny pins the finding's session,
    // so the plan names no time; any `now` gives the same plan, which the byte comparison shows.
    const condition = printed.actions[0].params.policyDocument.Statement[0].Condition;
    expect(condition).toEqual({ StringEquals: { 'aws:userid': expect.stringMatching(/^AROA[A-Z0-9]+:/) } });
    const at = '2026-01-01T00:00:00Z';
    const parsed = parseAwsEvent(JSON.parse(readFileSync(EVENT, 'utf8')));
    if (parsed.kind !== 'alerts') throw new Error('the example event must parse');
    // The CLI's reading of it: the member roles are Tourniquet's own (core/own-identities.ts).
    const config = withMemberRoles(
      parseConfigText(readFileSync('examples/tourniquet.config.json', 'utf8'), 'example'),
    );
    const expected = decide(parsed.alerts[0] as (typeof parsed.alerts)[0], config, {
      now: new Date(at),
      packs: PACKS,
    });
    // Assess: byte for byte.
    expect(r.out).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('--json is a synonym of --output json, and a wrong --output names the likely one', () => {
    const journal = ['--journal', drill, ...CONFIG];
    expect(tourniquet('verify', id, ...journal, '--json').out).toBe(
      tourniquet('verify', id, ...journal, '-o', 'json').out,
    );
    const wrong = tourniquet('verify', id, ...journal, '--output', 'tabel');
    expect([wrong.code, wrong.err]).toEqual([
      1,
      expect.stringMatching(/--output tabel: use json, table or text \(did you mean table\?\)/),
    ]);
  });
});

describe('what a summary says', () => {
  it('a contain in enforce mode (simulated) counts the changes, names who was told and the next commands', () => {
    const r = onTerminal(['exercise', '--event', EVENT, '--out', fresh(), ...CONFIG]);
    const text = plain(r.out);
    expect(text).toMatch(
      /^ENFORCED \(simulated\) — 4 changes applied in the simulated clouds, 1 already in place$/m,
    );
    expect(text).toMatch(/^EXERCISE — no real cloud was called$/m);
    expect(text).toMatch(/^Next: tourniquet report aws-guardduty-\S+ --journal \S+ --out \S+\.html$/m);
    expect(text).toMatch(
      /^ {6}tourniquet release --journal \S+ --incident aws-guardduty-\S+ --reason "exercise over"$/m,
    );
  });

  it('a dry run says nothing was changed, who would be told, and how to act', () => {
    const r = onTerminal(['contain', '--bucket', 'models-prod', '--reason', 'drill', '--dry-run', ...CONFIG]);
    const text = plain(r.out);
    expect(text).toMatch(/^Told: nobody \(dry run\); the escalation would tell humans$/m);
    expect(text).toMatch(/^Next: the same command without --dry-run, to act$/m);
  });

  it('the columns hold whole Azure resource ids and long action kinds', () => {
    const r = onTerminal([
      'plan',
      '--event',
      'examples/events/azure-defender-data-exfiltration.json',
      ...CONFIG,
    ]);
    const text = plain(r.out);
    expect(text).toMatch(
      /a\d+ +quarantine +quarantine-storage-account +4a1b2c3d-5e6f-4789-8abc-def012345678 +\/subscriptions\/4a1b2c3d-5e6f-4789-8abc-def012345678\/resourceGroups\/rg-ml\/providers\/Microsoft\.Storage\/storageAccounts\/stweights$/m,
    );
  });
});
