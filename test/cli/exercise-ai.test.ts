/**
 * The inference channel end to end in exercise mode: an AI alert contained by the real executors
 * against the simulated clouds, then verified and released from its folder.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess } from './run-cli.ts';

const folder = (name: string) => join(mkdtempSync(join(tmpdir(), `tq-exercise-${name}-`)), 'out');
const simulation = (dir: string) => JSON.parse(readFileSync(join(dir, 'simulation.json'), 'utf8'));

describe('tourniquet exercise on a GuardDuty AI Protection finding', () => {
  it('denies inference to the one session, then release lifts the deny', async () => {
    const dir = folder('bedrock');
    const r = await inProcess(
      'exercise',
      '--event',
      'test/fixtures/aws/events/guardduty-ai-anomalous-model-invocation.json',
      '--out',
      dir,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/✓ a1 deny-inference +arn:aws:iam::111122223333:role\/rag-dev-role applied/);
    const [incident] = JSON.parse(r.out).incidents;
    expect(incident.status).toBe('contained');

    const role = (dir: string) =>
      simulation(dir).aws.iam.roles.find(([name]: [string]) => name === 'rag-dev-role')[1];
    const [policy] = role(dir).inline;
    const denied = JSON.parse(policy[1]).Statement[0];
    expect(denied).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']),
      Condition: { StringEquals: { 'aws:userid': 'AROAEXAMPLERAGDEV001:dev-carol' } },
    });

    const v = await inProcess('verify', incident.incidentId, '--journal', dir);
    expect(v.code, v.out).toBe(0);
    const released = await inProcess(
      'release',
      '--journal',
      dir,
      '--incident',
      incident.incidentId,
      '--reason',
      'drill over',
    );
    expect(released.code, released.err).toBe(0);
    expect(role(dir).inline).toEqual([]);
  });
});

describe('tourniquet exercise on a Defender for AI alert', () => {
  const AI =
    '/subscriptions/4a1b2c3d-5e6f-4789-8abc-def012345678/resourceGroups/rg-ml/providers/Microsoft.CognitiveServices/accounts/oai-rag-prod';
  const config = () => {
    const c = JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8'));
    delete c.$schema;
    c.azure.inference = {
      accounts: [{ account: AI, localAuth: 'disable', allowedNetworks: { ipRanges: ['203.0.113.0/28'] } }],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'tq-ai-config-')), 'tourniquet.config.json');
    writeFileSync(file, JSON.stringify(c));
    return file;
  };

  it('turns API keys off and closes the account to all but the app and responders; release restores both', async () => {
    const dir = folder('openai');
    const file = config();
    const r = await inProcess(
      'exercise',
      '--config',
      file,
      '--event',
      'test/fixtures/azure/defender-ai-tor-access.json',
      '--out',
      dir,
    );
    expect(r.code, r.err).toBe(0);
    const [incident] = JSON.parse(r.out).incidents;
    const account = (dir: string) =>
      simulation(dir).azure.aiAccounts.find((a: { id: string }) => a.id === AI).properties;
    expect(account(dir)).toMatchObject({
      disableLocalAuth: true,
      networkAcls: {
        defaultAction: 'Deny',
        ipRules: [{ value: '203.0.113.0/28' }, { value: '198.51.100.0/28' }],
      },
    });

    // Release checks the journal against the configuration it was contained under.
    const without = await inProcess(
      'release',
      '--journal',
      dir,
      '--incident',
      incident.incidentId,
      '--reason',
      'r',
    );
    expect(without.code).toBe(1);
    expect(without.err).toMatch(/acts on an AI account not in azure.inference.accounts/);

    const released = await inProcess(
      'release',
      '--config',
      file,
      '--journal',
      dir,
      '--incident',
      incident.incidentId,
      '--reason',
      'drill over',
    );
    expect(released.code, released.err).toBe(0);
    expect(account(dir)).toEqual({
      disableLocalAuth: false,
      publicNetworkAccess: 'Enabled',
      networkAcls: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
    });
    const v = await inProcess('verify', incident.incidentId, '--journal', dir, '--json');
    expect(JSON.parse(v.out).chain).toMatchObject({ status: 'verified', seals: 2 });
  });
});
