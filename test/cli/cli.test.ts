import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tourniquet } from './run-cli.ts';

const CONFIG = ['--config', 'examples/tourniquet.config.json'];

describe('tourniquet plan', () => {
  it.each([
    ['guardduty-s3-exfiltration.json', 'revoke-role-sessions'],
    ['guardduty-iam-user-credential-exfiltration.json', 'revoke-role-sessions'],
    ['cloudtrail-getobject.json', 'pin-objects'],
  ])('prints the decision for examples/events/%s, with the exact documents, and exits 0', (file, kind) => {
    const r = tourniquet('plan', '--event', `examples/events/${file}`, ...CONFIG);
    expect(r.code, r.err).toBe(0);
    const decision = JSON.parse(r.out);
    expect(decision).toMatchObject({ decision: 'contain', alert: { cloud: 'aws' } });
    expect(decision.actions.map((a: { kind: string }) => a.kind)).toContain(kind);
    expect(r.err).toMatch(/^CONTAIN /m);
  });

  it('prints one decision per finding of a Security Hub batch', () => {
    const r = tourniquet('plan', '--event', 'examples/events/securityhub-findings.json', ...CONFIG);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).length).toBeGreaterThan(1);
  });

  it('rejects truncated JSON with exit 2 and a null alert', () => {
    const r = tourniquet('plan', '--event', 'test/fixtures/aws/hostile/truncated.json', ...CONFIG);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ decision: 'reject', alert: null, actions: [] });
  });

  it('rejects a forged source with exit 2', () => {
    const r = tourniquet('plan', '--event', 'test/fixtures/aws/hostile/spoofed-source.json', ...CONFIG);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).reason).toMatch(/custom\.guardduty/);
  });

  it('uses the example configuration when none is given, and says so', () => {
    const r = tourniquet('plan', '--event', 'examples/events/guardduty-s3-exfiltration.json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/using the example configuration/);
  });

  it('exits 1 and names the flag when --event is missing', () => {
    const r = tourniquet('plan', ...CONFIG);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--event is required/);
  });

  it('exits 1 with every problem listed when the configuration is invalid, changing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tq-'));
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ mode: 'enforce', aws: { accounts: ['x'], responders: [], evidenceBucket: 'B' } }),
    );
    const r = tourniquet(
      'plan',
      '--event',
      'examples/events/guardduty-s3-exfiltration.json',
      '--config',
      join(dir, 'bad.json'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/aws\.accounts\.0: must be a 12-digit AWS account id/);
    expect(r.err).toMatch(/aws\.evidenceBucket: must be a valid S3 bucket name/);
    expect(r.err).toMatch(/nothing was changed/);
  });
});

describe('tourniquet', () => {
  it.each(['plan', 'contain', 'release', 'scan'])('%s --help explains the command and exits 0', (command) => {
    const r = tourniquet(command, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`Usage: tourniquet ${command}`));
  });

  it('lists the commands and exits 1 on an unknown one', () => {
    const r = tourniquet('contian');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown command "contian"/);
    expect(r.err).toMatch(/plan .*\n.*contain/s);
  });

  it('contain --dry-run shows every action as skipped without credentials or calls', () => {
    const r = tourniquet(
      'contain',
      '--principal',
      'arn:aws:iam::111122223333:role/llm-finetune-role',
      '--bucket',
      'models-prod',
      '--reason',
      'drill',
      '--incident-id',
      'drill-001',
      '--dry-run',
      ...CONFIG,
    );
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    const outcomes = result.outcomes[0].report.results.map((x: { outcome: string }) => x.outcome);
    expect(new Set(outcomes)).toEqual(new Set(['skipped-dry-run']));
    expect(r.err).toMatch(/incident drill-001 \(dry-run: nothing will change\)/);
  });

  it('release refuses to run without a reason', () => {
    const r = tourniquet('release', '--incident', 'aws-guardduty-0123', ...CONFIG);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--reason is required/);
  });
});

describe('tourniquet contain and release without a configuration', () => {
  it.each([
    ['contain', '--principal', 'arn:aws:iam::111122223333:role/x', '--reason', 'drill', '--dry-run'],
    ['release', '--incident', 'aws-guardduty-0123', '--reason', 'drill'],
  ])('%s refuses to fall back to the example configuration', (...args) => {
    const r = tourniquet(...args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no configuration: pass --config FILE/);
  });
});
