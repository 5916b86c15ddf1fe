import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { mergeSnapshots, type PostureSnapshot } from '../../core/posture/snapshot.ts';
import { awsSnapshot, ENI, LOG_BUCKET } from '../posture/support/aws-snapshot.ts';
import { azureSnapshot } from '../posture/support/azure-snapshot.ts';
import { awsIdentitySnapshot, PIPELINE } from '../posture/support/identity-snapshots.ts';
import { awsConfig } from '../support/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'tourniquet-posture-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const CONFIG = file(
  'config.json',
  awsConfig({
    aws: { ...awsConfig().aws, logBuckets: [LOG_BUCKET] },
    detect: { inferenceEndpoints: [ENI, '10.20.1.15'] },
  }),
);

/** The CLI in process (fast); `bin` below spawns the real bin for the end-to-end cases. */
async function tourniquet(...args: string[]) {
  return inProcess('posture', ...args);
}
async function inProcess(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: `${out.join('\n')}\n`, err: err.join('\n') };
}

/** The real bin with the project's Node 22 and no cloud credentials: --snapshot needs none. */
function bin(...args: string[]) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const r = spawnSync(process.execPath, ['bin/tourniquet.js', 'posture', ...args], {
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('examples/posture/snapshot.json', () => {
  it('is the test fixtures of both clouds, so the README example cannot rot', () => {
    const example = JSON.parse(readFileSync('examples/posture/snapshot.json', 'utf8'));
    expect(example).toEqual(mergeSnapshots([awsSnapshot(), azureSnapshot()], '2026-03-02T06:00:00.000Z'));
  });

  it('with the example configuration shows failures and their fixes (exit 3), from the real bin', () => {
    const r = bin(
      '--snapshot',
      'examples/posture/snapshot.json',
      '--config',
      'examples/tourniquet.config.json',
    );
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^AWS: \d+ pass, \d+ fail, 0 unknown$/m);
    expect(r.out).toMatch(/^AZURE: 9 pass, 0 fail, 0 unknown$/m);
  });
});

describe('tourniquet posture --snapshot', () => {
  it('prints the table of a passing account and exits 0 (the real bin)', () => {
    const r = bin('--snapshot', file('ok.json', awsSnapshot()), '--config', CONFIG);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^AWS: 17 pass, 0 fail, 0 unknown$/m);
    expect(r.out).toContain('✓ aws.cloudtrail-data-events');
  });

  it('exits 3 on a failed check and shows why it matters and the exact fix', async () => {
    const snapshot: PostureSnapshot = awsSnapshot();
    (snapshot.aws as Record<string, Record<string, unknown>>)['s3:GetBucketVersioning'] = {
      'models-prod': { Status: 'Suspended' },
      'training-data': { Status: 'Enabled' },
    };
    const r = await tourniquet('--snapshot', file('bad.json', snapshot), '--config', CONFIG);
    expect(r.code).toBe(3);
    expect(r.out).toContain('✗ aws.s3-versioning                versioning is suspended');
    expect(r.out).toContain(
      'fix: aws s3api put-bucket-versioning --bucket models-prod --versioning-configuration Status=Enabled',
    );
    expect(r.out).toMatch(/why: pin-objects records object versions/);
  });

  it('--json gives the report rows', async () => {
    const r = await tourniquet('--snapshot', file('ok2.json', awsSnapshot()), '--config', CONFIG, '--json');
    const out = JSON.parse(r.out);
    expect(out.report.summary).toEqual({ pass: 17, fail: 0, unknown: 0 });
    expect(out.report.rows[0]).toMatchObject({
      check: 'aws.cloudtrail-data-events',
      status: 'pass',
      subject: { id: 'models-prod' },
    });
  });

  it('--identities --fix plans a Deny for the stale principals only, and changes nothing', async () => {
    const r = await tourniquet(
      '--snapshot',
      file('ids.json', awsIdentitySnapshot()),
      '--config',
      CONFIG,
      '--identities',
      '--fix',
      '--json',
    );
    expect(r.code, r.err).toBe(3);
    const out = JSON.parse(r.out);
    const actions = out.fix.decisions.flatMap(
      (d: { actions: { kind: string; target: string }[] }) => d.actions,
    );
    expect(actions.map((a: { kind: string; target: string }) => `${a.kind} ${a.target}`)).toEqual([
      `deny-standing-access ${PIPELINE}`,
      'deny-standing-access arn:aws:iam::111122223333:user/dana',
      'deny-standing-access arn:aws:iam::111122223333:user/dana',
    ]);
    expect(out.fix.skipped).toEqual([]);
    expect(out.fix.reports).toEqual([]);
  });

  it('--save writes the snapshot a later --snapshot reads back the same', async () => {
    const snapshotPath = file('saved-src.json', awsSnapshot());
    const saved = join(dir, 'saved.json');
    expect((await tourniquet('--snapshot', snapshotPath, '--config', CONFIG)).code).toBe(0);
    const r = await tourniquet('--snapshot', snapshotPath, '--save', saved, '--config', CONFIG);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--save and --snapshot exclude each other');
    expect(() => readFileSync(saved)).toThrow();
  });

  it.each([
    [['--apply', '--fix', '--identities'], 1, '--apply needs --reason'],
    [['--fix'], 1, '--fix needs --identities'],
    [['--cloud', 'azure'], 1, '--cloud azure: the configuration has no "azure" section'],
  ])('refuses %j with exit %i', async (args, code, message) => {
    const r = await tourniquet('--snapshot', file('x.json', awsSnapshot()), '--config', CONFIG, ...args);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });

  it('rejects a file that is not a snapshot with exit 2', async () => {
    const r = await tourniquet('--snapshot', file('not.json', { hello: 1 }), '--config', CONFIG);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not a Tourniquet posture snapshot');
  });
});

describe('tourniquet grant', () => {
  const DRY = file('dry.json', { ...awsConfig(), mode: 'dry-run' });
  const grant = (...args: string[]) => inProcess('grant', ...args);

  it('plans a time-bound grant in dry-run, with the exact policy, and changes nothing', async () => {
    const r = await grant(
      '--principal',
      PIPELINE,
      '--asset',
      'models-prod',
      '--for',
      '2h',
      '--reason',
      'release v3',
      '--config',
      DRY,
    );
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.report.status).toBe('dry-run');
    expect(out.grantId).toMatch(/^aws-grant-\d{12}-[0-9a-f]{8}$/);
    const action = out.decision.actions[0];
    expect(action).toMatchObject({
      kind: 'grant-access',
      category: 'grant',
      target: PIPELINE,
      params: { policyName: `TourniquetJit-${out.grantId}`, expiresAt: out.expiresAt },
    });
    expect(action.params.policyDocument.Statement[0].Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': out.expiresAt },
    });
    expect(Date.parse(out.expiresAt) - Date.now()).toBeGreaterThan(7_000_000);
    expect(r.err).toContain('dry run');
  });

  it.each([
    [
      ['--principal', 'arn:aws:iam::111122223333:role/ir-responder', '--asset', 'models-prod', '--for', '2h'],
      'responder or break-glass',
    ],
    [
      ['--principal', PIPELINE, '--asset', 'models-prod', '--for', '13h'],
      'at most posture.maxGrantHours = 12 h',
    ],
    [
      ['--principal', PIPELINE, '--asset', 'models-prod', '--for', 'tomorrow'],
      '--for must be minutes or hours',
    ],
    [['--principal', PIPELINE, '--asset', 'logs', '--for', '1h'], 'not one of aws.assets'],
  ])('refuses %j with exit 1', async (args, message) => {
    const r = await grant(...args, '--reason', 'r', '--config', DRY);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });
});
