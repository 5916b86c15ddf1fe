/**
 * Exercise mode as a user runs it: the real bin spawned, no cloud credentials, the example event
 * contained against the simulated clouds; then incidents, report, verify and release on its folder.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { inProcess, tourniquet } from './run-cli.ts';

const dir = join(mkdtempSync(join(tmpdir(), 'tq-exercise-')), 'out');
const copy = join(mkdtempSync(join(tmpdir(), 'tq-tampered-')), 'out');
let id: string;
beforeAll(() => {
  const r = tourniquet('exercise', '--event', 'examples/events/guardduty-s3-exfiltration.json', '--out', dir);
  expect(r.code, r.err).toBe(0);
  id = JSON.parse(r.out).incidents[0].incidentId;
  cpSync(dir, copy, { recursive: true });
}, 60_000);

describe('tourniquet exercise', () => {
  it('writes the journal, the first pack and the simulation under DIR', () => {
    expect(readdirSync(dir).sort()).toEqual(['incidents', 'simulation.json']);
    expect(readdirSync(join(dir, 'incidents', id, 'pack')).sort()).toEqual([
      '001-contain.html',
      '001-contain.json',
    ]);
    const pack = JSON.parse(readFileSync(join(dir, 'incidents', id, 'pack', '001-contain.json'), 'utf8'));
    expect(pack).toMatchObject({ incidentId: id, status: 'contained', chain: { verified: true } });
  });

  it('then report, verify, release and verify again work on its folder', async () => {
    const listed = await inProcess('incidents', 'list', '--journal', dir, '--json');
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ incidentId: id, status: 'contained', actions: 5, done: 5 }),
    ]);

    const report = tourniquet('report', id, '--journal', dir, '--format', 'json');
    expect(report.code, report.err).toBe(0);
    const pack = JSON.parse(report.out);
    for (const key of [
      'incidentId',
      'status',
      'awareAt',
      'classifiedAt',
      'timeline',
      'measures',
      'evidence',
      'iocs',
      'chain',
      'regimes',
    ])
      expect(pack).toHaveProperty(key);
    expect(Object.keys(pack.regimes)).toEqual(['gdpr', 'nis2', 'dora']);
    expect(pack.regimes.gdpr.deadline).toBe(
      new Date(Date.parse(pack.awareAt) + 72 * 3_600_000).toISOString(),
    );

    const verified = tourniquet('verify', id, '--journal', dir, '--output', 'table');
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toMatch(new RegExp(`head ${pack.chain.head}`));
    expect(verified.out).toMatch(
      /✓ +match +s3:\/\/ir-evidence-111122223333\/incidents\/\S+ +size, ETag as recorded/,
    );

    const released = tourniquet('release', '--journal', dir, '--incident', id, '--reason', 'tabletop over');
    expect(released.code, released.err).toBe(0);
    expect(JSON.parse(released.out).report.status).toBe('released');
    const simulation = JSON.parse(readFileSync(join(dir, 'simulation.json'), 'utf8'));
    const role = simulation.aws.iam.roles.find(([name]: [string]) => name === 'llm-finetune-role');
    expect(role[1].inline).toEqual([]);

    // The same id again after the release: refused with the reason, nothing re-applied (issue 8).
    const again = await inProcess(
      'contain',
      '--event',
      'examples/events/guardduty-s3-exfiltration.json',
      '--journal',
      dir,
      '--reason',
      'again',
      '--output',
      'table',
    );
    expect(again.code, again.out + again.err).toBe(EXIT.rejected);
    expect(again.out + again.err).toMatch(new RegExp(`incident ${id} was released at .*: choose a new id`));
    const unchanged = JSON.parse(readFileSync(join(dir, 'simulation.json'), 'utf8'));
    expect(
      unchanged.aws.iam.roles.find(([name]: [string]) => name === 'llm-finetune-role')[1].inline,
    ).toEqual([]);

    const after = await inProcess('verify', id, '--journal', dir, '--json');
    expect(after.code, after.out).toBe(0);
    expect(JSON.parse(after.out).chain).toMatchObject({ status: 'verified', seals: 2 });
    expect(readdirSync(join(dir, 'incidents', id, 'pack'))).toContain('002-release.html');
  });

  it('verify names the entry whose byte was changed and exits 3', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'tq-tampered-')), 'out');
    const r = tourniquet(
      'exercise',
      '--event',
      'examples/events/guardduty-s3-exfiltration.json',
      '--out',
      copy,
    );
    const tid = JSON.parse(r.out).incidents[0].incidentId;
    const file = join(copy, 'incidents', tid, 'journal', 'contain', 'a2', '001-after.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"applied"', '"applieD"'));

    const v = await inProcess('verify', tid, '--journal', copy, '--output', 'table');

    expect(v.code).toBe(3);
    expect(v.out).toMatch(/NOT VERIFIED/);
    expect(v.out).toMatch(/✗ contain\/a2\/001-after\.json was changed after seals\/001\.json recorded it/);
  });

  it.each([
    [['exercise', '--event', 'examples/events/guardduty-s3-exfiltration.json', '--out', '.'], /is not empty/],
    [
      [
        'release',
        '--journal',
        'examples',
        '--incident',
        'aws-guardduty-0123456789abcdef0123',
        '--reason',
        'r',
      ],
      /holds no simulation\.json/,
    ],
    [['report', 'no-such-incident', '--journal', 'examples'], /no journal for incident no-such-incident/],
  ])('refuses %j with exit 1 and says why', async (args, message) => {
    const r = await inProcess(...args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });
});

describe('tourniquet exercise on an Azure event', () => {
  it('contains a Defender exfiltration alert in the simulated Azure, verifies and releases it', async () => {
    const az = join(mkdtempSync(join(tmpdir(), 'tq-exercise-azure-')), 'out');
    const r = await inProcess(
      'exercise',
      '--event',
      'examples/events/azure-defender-data-exfiltration.json',
      '--out',
      az,
    );
    expect(r.code, r.err).toBe(0);
    const [incident] = JSON.parse(r.out).incidents;
    expect(incident).toMatchObject({
      status: 'contained',
      incidentId: expect.stringMatching(/^azure-defender-/),
    });

    const v = await inProcess('verify', incident.incidentId, '--journal', az, '-o', 'table');
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(/✓ +match +stevidence\/evidence\/incidents\/\S+ +size, Content-MD5 as recorded/);

    const before = JSON.parse(readFileSync(join(az, 'simulation.json'), 'utf8'));
    const weights = (s: typeof before) =>
      s.azure.accounts.find((a: { name: string }) => a.name === 'stweights');
    expect(weights(before).properties.allowSharedKeyAccess).toBe(false);
    const released = tourniquet(
      'release',
      '--journal',
      az,
      '--incident',
      incident.incidentId,
      '--reason',
      'drill over',
    );
    expect(released.code, released.err).toBe(0);
    const after = JSON.parse(readFileSync(join(az, 'simulation.json'), 'utf8'));
    expect(weights(after).properties).toMatchObject({
      allowSharedKeyAccess: true,
      networkAcls: { defaultAction: 'Allow' },
    });
  });
});

describe('the evidence-pack commands', () => {
  it.each(['incidents', 'report', 'verify', 'exercise'])(
    '%s --help explains the command and exits 0',
    async (command) => {
      const r = await inProcess(command, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`Usage: tourniquet ${command}`));
    },
  );
});

describe('tourniquet incidents', () => {
  it('lists the incidents of a journal, filtered by status and time, and shows one', async () => {
    const two = join(mkdtempSync(join(tmpdir(), 'tq-exercise-two-')), 'out');
    const r = await inProcess(
      'exercise',
      '--event',
      'examples/events/securityhub-findings.json',
      '--out',
      two,
    );
    expect(r.code, r.err).toBe(0);
    const ids: string[] = JSON.parse(r.out).incidents.map((i: { incidentId: string }) => i.incidentId);
    expect(ids).toHaveLength(2);
    await inProcess('release', '--journal', two, '--incident', ids[0] ?? '', '--reason', 'false positive');

    const list = async (...flags: string[]) =>
      JSON.parse((await inProcess('incidents', 'list', '--journal', two, '--json', ...flags)).out).map(
        (x: { incidentId: string; status: string }) => [x.incidentId, x.status],
      );
    expect(await list('--status', 'released')).toEqual([[ids[0], 'released']]);
    expect(await list('--status', 'contained')).toEqual([[ids[1], 'contained']]);
    expect(await list('--since', '1h')).toHaveLength(2);
    expect(await list('--since', '2999-01-01T00:00:00Z')).toEqual([]);
    expect((await inProcess('incidents', 'list', '--journal', two, '--status', 'open')).code).toBe(1);

    const shown = await inProcess('incidents', 'show', ids[0] ?? '', '--journal', two, '-o', 'table');
    expect(shown.out).toMatch(/release approved by .*: false positive/);
  });
});

describe('tourniquet report --format pdf', () => {
  it('says how to get a browser when there is no Chromium, and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tq-pdf-')), 'pack.pdf');
    process.env.TOURNIQUET_CHROMIUM = '/nonexistent/chromium';
    try {
      const r = await inProcess('report', id, '--journal', dir, '--format', 'pdf', '--out', out);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /no Chromium at \/nonexistent\/chromium: install it \(Debian\/Ubuntu: apt-get install -y chromium\) or set TOURNIQUET_CHROMIUM/,
      );
      expect(existsSync(out)).toBe(false);
    } finally {
      delete process.env.TOURNIQUET_CHROMIUM;
    }
  });
});
