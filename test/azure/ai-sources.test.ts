/**
 * The 2026 Azure alert sources and the inference channel (fixtures: test/fixtures/azure/README.md):
 * Defender for Cloud AI alerts (`AI.Azure_*`, MicrosoftDocs `alerts-ai-workloads.md`) with the
 * end-user context an application passes; Defender alerts in every shape they are delivered in (the
 * alerts API, continuous export / Log Analytics `SecurityAlert`, workflow automation's Logic App);
 * ARM operations on AI accounts (listKeys, regenerateKey, accounts/write turning local auth on).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { ATTACKER, azureConfig, SUB, TENANT, USER, WEIGHTS } from './support/config.ts';

const now = new Date('2026-11-29T12:00:00Z');
const AI = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.CognitiveServices/accounts/oai-rag-prod`;
const APP_NETWORK = '203.0.113.0/28';
// biome-ignore lint/suspicious/noExplicitAny: tests reshape fixtures freely
const fixture = (name: string): any => JSON.parse(readFileSync(`test/fixtures/azure/${name}`, 'utf8'));
function only(event: unknown): Alert {
  const parsed = parseAzureEvent(event);
  if (parsed.kind !== 'alerts') throw new Error(`expected alerts, got ${parsed.kind}: ${parsed.reason}`);
  expect(parsed.alerts).toHaveLength(1);
  return parsed.alerts[0] as Alert;
}
/** The test configuration with the AI account Tourniquet may close. */
const config = (account: Record<string, unknown> = {}, section: Record<string, unknown> = {}) =>
  azureConfig({
    inference: { accounts: [{ account: AI, allowedNetworks: { ipRanges: [APP_NETWORK] }, ...account }] },
    ...section,
  });
const plan = (alert: Alert, c = config()) => {
  const d = decide(alert, c, { packs: PACKS, now });
  return { d, kinds: d.actions.map((a) => [a.kind, a.target]) };
};

describe('Defender alerts in every shape they are delivered in', () => {
  it('reads the continuous-export (Log Analytics SecurityAlert) shape as the same alert as the alerts API', () => {
    const api = only(fixture('defender-data-exfiltration.json'));
    const exported = only(fixture('defender-continuous-export.json'));
    expect({ ...exported, context: { ...exported.context, delivery: undefined } }).toEqual({
      ...api,
      context: { ...api.context, delivery: undefined },
    });
    expect(exported.context.delivery).toBe('security-alert');
  });

  it('reads the workflow-automation (Logic App) shape as the same alert as the alerts API', () => {
    const api = only(fixture('defender-ai-tor-access.json'));
    const logicApp = only(fixture('defender-workflow-automation.json'));
    expect([logicApp.dedupeKey, logicApp.type, logicApp.resources, logicApp.observedAt]).toEqual([
      api.dedupeKey,
      api.type,
      api.resources,
      api.observedAt,
    ]);
    expect(logicApp.context).toMatchObject({ delivery: 'workflow-automation', clientIp: '185.220.101.47' });
  });

  it.each([
    ['as posted to the webhook', (a: unknown) => a],
    [
      'through an Event Grid custom topic',
      (a: unknown) => ({
        id: 'c5e1b2a3-4d5f-4e6a-8b7c-9d0e1f2a3b4c',
        eventType: 'Defender.SecurityAlert',
        subject: 'defender/alerts',
        eventTime: '2026-11-25T10:00:45Z',
        topic: `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/defender-alerts`,
        dataVersion: '1',
        data: a,
      }),
    ],
  ])('contains a continuous-export alert %s (it was rejected or ignored before)', (_name, wrap) => {
    const alert = only(wrap(fixture('defender-continuous-export.json')));
    const { d } = plan(alert, azureConfig());
    expect([d.decision, d.playbook]).toEqual(['contain', 'azure-storage-exfiltration']);
  });

  it('ignores a resolved or dismissed alert in the flat shapes too', () => {
    const e = fixture('defender-continuous-export.json');
    e.Status = 'Resolved';
    expect(parseAzureEvent(e)).toEqual({ kind: 'ignored', reason: 'Defender alert is Resolved' });
  });

  it.each([
    [
      'Entities that are not JSON',
      (e: Record<string, unknown>) => {
        e.Entities = '[{"Type":';
      },
      /Entities is not valid JSON/,
    ],
    [
      'a severity Defender never writes',
      (e: Record<string, unknown>) => {
        e.AlertSeverity = 'Catastrophic';
      },
      /severity must be High, Medium, Low or Informational/,
    ],
    [
      'no Azure resource at all',
      (e: Record<string, unknown>) => {
        delete e.ResourceId;
        e.Entities = '[]';
      },
      /names no Azure resource/,
    ],
    [
      'a resource id in a subscription that is no GUID',
      (e: Record<string, unknown>) => {
        e.ResourceId =
          '/subscriptions/not-a-guid/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stweights';
      },
      /must be a GUID/,
    ],
  ])('rejects a continuous-export alert with %s', (_name, mutate, reason) => {
    const e = fixture('defender-continuous-export.json');
    mutate(e);
    expect(parseAzureEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});

describe('Defender for Cloud AI alerts', () => {
  it('name the AI account and the end user the application passed (endUserId, sourceIp)', () => {
    const alert = only(fixture('defender-ai-credential-theft.json'));
    expect(alert).toEqual({
      id: '2517391827364558491_2f6c1d0e-7a8b-4c9d-9e0f-1a2b3c4d5e6f',
      dedupeKey: `azure:defender:${SUB}:2517391827364558491_2f6c1d0e-7a8b-4c9d-9e0f-1a2b3c4d5e6f`,
      cloud: 'azure',
      source: 'defender',
      type: 'AI.Azure_CredentialTheftAttempt',
      severity: 5,
      observedAt: '2026-11-29T08:14:02.000Z',
      account: SUB,
      principal: {
        id: USER,
        kind: 'unknown',
        account: SUB,
        aliases: [{ type: 'ip', value: '203.0.113.90' }],
        certain: false,
      },
      resources: [{ kind: 'ai-account', id: AI }],
      sample: false,
      title: 'Detected credential theft attempts on an Azure AI model deployment',
      context: {
        endUser: { application: 'support-assistant', id: USER, tenant: TENANT, ip: '203.0.113.90' },
      },
    });
  });

  it('take the end user from the context alone when Defender correlated no account entity', () => {
    const e = fixture('defender-ai-credential-theft.json');
    e.properties.entities = e.properties.entities.filter((x: { type: string }) => x.type !== 'account');
    expect(only(e).principal).toEqual({
      id: USER,
      kind: 'entra-user',
      account: TENANT,
      aliases: [{ type: 'ip', value: '203.0.113.90' }],
      certain: false,
    });
  });

  it('drop end-user values that are not what they claim', () => {
    const e = fixture('defender-ai-credential-theft.json');
    e.properties.extendedProperties['End user ID'] = 'alice"; DROP';
    e.properties.extendedProperties['Source IP'] = 'not-an-ip';
    e.properties.entities = [e.properties.entities[0]];
    const alert = only(e);
    expect([alert.principal, alert.context.endUser]).toEqual([
      null,
      { application: 'support-assistant', tenant: TENANT },
    ]);
  });

  it('on a leak through the application: shut the actor’s address out, name the end user, leave the account', () => {
    const { d, kinds } = plan(only(fixture('defender-ai-credential-theft.json')));
    expect([d.playbook, kinds]).toEqual([
      'azure-ai-data-leak',
      [
        ['restrict-ai-network', AI],
        ['escalate', USER],
      ],
    ]);
    expect(d.actions[0]?.params).toEqual({
      accountId: AI,
      accountName: 'oai-rag-prod',
      blockedAddress: '203.0.113.90',
      network: {
        defaultAction: 'Deny',
        ipRanges: [APP_NETWORK, '198.51.100.0/28'],
        virtualNetworkSubnetIds: [expect.stringMatching(/snet-func$/)],
      },
    });
    expect(d.reason).toMatch(/the actor's identity could not be resolved with certainty \(2e7d9c1b/);
  });

  it('never shut out an address inside the application’s own networks', () => {
    const e = fixture('defender-ai-credential-theft.json');
    e.properties.extendedProperties['Source IP'] = '203.0.113.5';
    e.properties.entities = [e.properties.entities[0]];
    const { kinds, d } = plan(only(e));
    expect(kinds).toEqual([['escalate', USER]]);
    expect(d.actions[0]?.params).toMatchObject({
      reason: expect.stringContaining(
        '203.0.113.5 not shut out of oai-rag-prod: it is inside the allowed networks',
      ),
    });
  });

  it('on direct access from Tor with a key: API keys off on the account, the address shut out', () => {
    const { d, kinds } = plan(only(fixture('defender-ai-tor-access.json')));
    expect([d.playbook, kinds]).toEqual([
      'azure-ai-direct-access',
      [
        ['restrict-ai-network', AI],
        ['disable-local-auth', AI],
        ['escalate', AI],
      ],
    ]);
    expect(d.actions[1]).toMatchObject({
      category: 'quarantine',
      inverse: 'set properties.disableLocalAuth back to the recorded value',
    });
  });

  it('regenerate the keys instead where the applications must keep using keys, and say it cannot be undone', () => {
    const { kinds, d } = plan(only(fixture('defender-ai-tor-access.json')), config({ localAuth: 'rotate' }));
    expect(kinds.map(([k]) => k)).toEqual(['restrict-ai-network', 'regenerate-ai-keys', 'escalate']);
    expect(d.actions[1]).toMatchObject({
      params: { keyNames: ['Key1', 'Key2'] },
      inverse: expect.stringMatching(/^NOT RESTORABLE: the old keys are gone for good/),
    });
  });

  it('change nothing on an AI account the configuration does not list, and say so', () => {
    const { kinds, d } = plan(only(fixture('defender-ai-tor-access.json')), azureConfig());
    expect(kinds).toEqual([['escalate', AI]]);
    expect(d.actions[0]?.params).toMatchObject({
      reason: expect.stringContaining(
        'oai-rag-prod is not in azure.inference.accounts: nothing changed on it',
      ),
    });
  });

  it('only tell humans about a jailbreak the content filter blocked, and ignore samples', () => {
    expect(plan(only(fixture('defender-ai-jailbreak-blocked.json')), config({}, {})).kinds).toEqual([
      ['escalate', AI],
    ]);
    const sample = only(fixture('defender-ai-sample-alert.json'));
    expect([sample.sample, sample.type]).toEqual([true, 'AI.Azure_CredentialTheftAttempt']);
    expect(plan(sample).d.reason).toBe('sample finding');
  });
});

describe('ARM operations on AI accounts', () => {
  it('revoke who listed an AI account’s keys, and close the account', () => {
    const alert = only(fixture('eventgrid-cognitive-listkeys.json'));
    expect(alert).toMatchObject({
      type: 'Microsoft.CognitiveServices/accounts/listKeys/action',
      severity: 8,
      principal: { id: ATTACKER, kind: 'service-principal', certain: true },
      resources: [{ kind: 'ai-account', id: AI }],
    });
    const { d, kinds } = plan(alert);
    expect([d.playbook, kinds]).toEqual([
      'azure-ai-keys-taken',
      [
        ['remove-role-assignments', ATTACKER],
        ['disable-local-auth', AI],
        ['escalate', ATTACKER],
      ],
    ]);
  });

  it('see local auth turned back on in the Activity Log request body, and turn it off again', () => {
    const alert = only(fixture('monitor-activity-log-cognitive-local-auth.json'));
    expect(alert).toMatchObject({
      type: 'Microsoft.CognitiveServices/accounts/write',
      severity: 8,
      context: { localAuth: 'enabled' },
      resources: [{ kind: 'ai-account', id: AI }],
    });
    const { kinds } = plan(alert);
    expect(kinds).toEqual([
      ['remove-role-assignments', ATTACKER],
      ['disable-local-auth', AI],
      ['escalate', ATTACKER],
    ]);
  });

  it.each([
    [
      'the write keeps local auth off',
      (e: { data: { alertContext: { properties: { requestbody: string } } } }) => {
        e.data.alertContext.properties.requestbody = JSON.stringify({
          properties: { disableLocalAuth: true },
        });
      },
      'not a threat by itself: the change leaves API-key access off',
    ],
    [
      'the event carries no request body',
      (e: { data: { alertContext: { properties?: unknown } } }) => {
        delete e.data.alertContext.properties;
      },
      'not a threat by itself: the event does not say what changed (route the Activity Log, whose request body does)',
    ],
  ])('pass an account write when %s', (_name, mutate, reason) => {
    const e = fixture('monitor-activity-log-cognitive-local-auth.json');
    mutate(e as never);
    expect(plan(only(e), config({}, {})).d.reason).toBe(reason);
  });

  it('leave a known identity’s key listing alone', () => {
    const { d } = plan(
      only(fixture('eventgrid-cognitive-listkeys.json')),
      config({}, { knownIdentities: [ATTACKER] }),
    );
    expect(d.reason).toBe(`not a threat by itself: a known identity (${ATTACKER})`);
  });

  it('keep storage operations on storage rows', () => {
    const alert = only(fixture('eventgrid-listkeys.json'));
    expect([alert.resources, plan(alert).d.playbook]).toEqual([
      [{ kind: 'storage-account', id: WEIGHTS }],
      'azure-storage-keys-taken',
    ]);
  });
});

describe('Tourniquet’s own findings coming back through Event Grid', () => {
  it.each(['Tourniquet.Incident.Contained', 'Tourniquet.Posture.CheckFailed'])(
    'are never acted on (%s)',
    (eventType) => {
      const own = {
        id: 'tourniquet/incident/azure-defender-0a1b2c3d4e5f60718293@2026-11-29T09:41:00.000Z',
        eventType,
        subject: '/tourniquet/incident/azure-defender-0a1b2c3d4e5f60718293',
        eventTime: '2026-11-29T09:41:00.000Z',
        topic: `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/tourniquet-findings`,
        dataVersion: '1.0',
        // Whatever the data holds, even an alert: the type says whose it is.
        data: fixture('defender-ai-tor-access.json'),
      };
      expect(parseAzureEvent(own)).toEqual({
        kind: 'ignored',
        reason: `${eventType} is Tourniquet's own, published by it: never acted on`,
      });
    },
  );
});
