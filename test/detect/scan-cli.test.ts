import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { ACCOUNT, CANARY, FIXTURES, STORAGE_ACCOUNT, SUBSCRIPTION } from './detect-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'tq-scan-'));
const configFile = join(dir, 'tourniquet.config.json');
writeFileSync(
  configFile,
  JSON.stringify({
    mode: 'enforce',
    aws: {
      accounts: [ACCOUNT],
      responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
      assets: [{ bucket: 'models-prod', kind: 'model-weights', prefixes: ['weights/'] }],
      evidenceBucket: `ir-evidence-${ACCOUNT}`,
    },
    azure: {
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      subscriptions: [SUBSCRIPTION],
      responders: ['0d3c2b1a-1111-4222-8333-944445555666'],
      assets: [{ storageAccount: STORAGE_ACCOUNT, containers: ['models'], kind: 'model-weights' }],
      evidence: { storageAccount: STORAGE_ACCOUNT, container: 'evidence' },
    },
    detect: {
      knownReaders: [`arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/*`],
      expectedNetworks: ['vpce-0a1b2c3d4e5f60718', '10.20.0.0/16'],
      canaryTokens: [CANARY],
    },
  }),
);

function scan(...args: string[]) {
  const run = spawnSync(process.execPath, [join(import.meta.dirname, 'scan-cli-runner.ts'), ...args], {
    encoding: 'utf8',
    cwd: dir,
  });
  const lines = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { code: run.status, lines, stderr: run.stderr };
}

describe('tourniquet scan', () => {
  it('prints one JSON line per alert with the decision each would get, and exits 0', () => {
    const { code, lines, stderr } = scan(
      '--input',
      join(FIXTURES, 'bedrock-invocations.jsonl'),
      '--config',
      configFile,
    );
    expect(code).toBe(0);
    // One caller: the canary, the injection and the secret are one finding, led by the canary.
    expect(lines.map((l) => l.type)).toEqual([T.canaryToken]);
    for (const line of lines)
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining([
          'type',
          'actor',
          'principal',
          'confidence',
          'signals',
          'mode',
          'wouldDecide',
          'resources',
          'evidence',
          'decision',
        ]),
      );
    const canary = lines.find((l) => l.type === T.canaryToken);
    expect(canary?.signals).toEqual(
      expect.arrayContaining([
        'a canary token came back in a response',
        expect.stringMatching(/^1 prompt\(s\) with injection patterns/),
        expect.stringMatching(/^a response holds a secret/),
      ]),
    );
    expect(canary).toMatchObject({
      line: 'alert',
      confidence: 'high',
      // No detect.modes in this configuration: every detector is in audit.
      mode: 'audit',
      wouldDecide: 'contain',
      actor: expect.stringContaining('contractor-role'),
      severity: 9,
      principal: `arn:aws:iam::${ACCOUNT}:role/contractor-role`,
      certain: true,
      evidence: { hits: 1, requestIds: ['2b4f6a8c-0002-4d2e-9f10-000000000002'] },
      decision: {
        decision: 'contain',
        playbook: 'detect-inference-leak',
        actions: [{ kind: 'revoke-role-sessions' }, { kind: 'escalate' }],
      },
    });
    expect(stderr).toMatch(
      /bedrock-invocations.jsonl: bedrock, 5 lines\/records read, 3 events, 2 malformed skipped/,
    );
  });

  it('prints findings below minConfidence only with --signals, marked as signals', () => {
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    const strict = join(dir, 'strict.config.json');
    writeFileSync(
      strict,
      JSON.stringify({
        ...config,
        detect: {
          ...config.detect,
          minConfidence: 'high',
          modes: {
            'canary-token': 'off',
            'secret-output': 'off',
            'extraction-prompts': 'off',
            'prompt-injection': 'alert',
          },
        },
      }),
    );
    const input = join(FIXTURES, 'bedrock-invocations.jsonl');
    expect(scan('--input', input, '--config', strict).lines).toEqual([]);
    const { lines } = scan('--input', input, '--config', strict, '--signals');
    expect(lines).toMatchObject([
      { line: 'signal', type: T.promptInjection, confidence: 'medium', mode: 'alert' },
    ]);
  });

  it('tells each file format by itself, reads gzip, and carries windows across the files', () => {
    const gz = join(dir, 'trail.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(FIXTURES, 'cloudtrail-s3.json'))));
    // A second access log with mallory's next 4 GiB shard: only the two files together cross 5 GiB.
    const more = join(dir, 'access-2.log');
    const line = readFileSync(join(FIXTURES, 's3-access.log'), 'utf8').split('\n')[1] ?? '';
    writeFileSync(more, `${line.replaceAll('00003-of', '00004-of').replace('10:01:02', '10:20:00')}\n`);
    const { code, lines, stderr } = scan(
      '--input',
      gz,
      join(FIXTURES, 's3-access.log'),
      more,
      '--input',
      join(FIXTURES, 'azure-storage-blob.jsonl'),
      '--config',
      configFile,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/trail\.json\.gz: cloudtrail, 5 lines\/records read, 4 events/);
    expect(stderr).toMatch(/s3-access\.log: s3-access, 6 lines\/records read, 2 events, 2 malformed skipped/);
    expect(stderr).toMatch(/azure-storage-blob\.jsonl: azure-storage/);
    const bulk = lines.filter((l) => l.type === T.bulkRead).map((l) => l.principal);
    expect(bulk).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/contractor-role`,
      `arn:aws:iam::${ACCOUNT}:user/mallory`,
      'a4711f3a-254f-4cfb-8a2d-111111111111',
      'sas:04D64C2B3A704145C9F1664F201123467A74D72DA72751A9137DDAA732FA03CF',
    ]);
    expect(
      lines.find((l) => l.principal === `arn:aws:iam::${ACCOUNT}:user/mallory` && l.type === T.bulkRead)
        ?.evidence,
    ).toMatchObject({ bytes: 2 * 4294967296, objects: 2 });
    const sas = lines.find((l) => l.principal?.startsWith('sas:') && l.type === T.bulkRead);
    expect(sas).toMatchObject({ certain: false, decision: { decision: 'contain' } });
    expect(sas.decision.actions.map((a: { kind: string }) => a.kind)).not.toContain('revoke-role-sessions');
    expect(sas.decision.reason).toMatch(/could not be resolved with certainty/);
  });

  it('exits 0 with no output when nothing is found', () => {
    const { code, lines } = scan('--input', join(FIXTURES, 'vpc-flow-custom.log'), '--config', configFile);
    expect({ code, lines }).toEqual({ code: 0, lines: [] });
  });

  it.each([
    [['--config', configFile], /--input is required/],
    [['--input', join(FIXTURES, 'nope.log'), '--config', configFile], /no such file/],
    [
      ['--input', join(FIXTURES, 's3-access.log'), '--format', 'syslog', '--config', configFile],
      /unknown --format "syslog"/,
    ],
    [
      ['--input', join(FIXTURES, 's3-access.log'), '--config', join(FIXTURES, 'inference.jsonl')],
      /configuration/,
    ],
  ])('exits 1 on usage and configuration errors (%j)', (args, message) => {
    const { code, stderr } = scan(...args);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});
