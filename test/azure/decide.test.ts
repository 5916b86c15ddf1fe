// Real event formats (test/fixtures/azure/README.md) through the shared decision and the Azure planner.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { parseAzureEvent, parseAzureTarget } from '../../functions-azure/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import {
  ATTACKER,
  azureConfig,
  BREAK_GLASS,
  EVIDENCE,
  SUB,
  SUBNET,
  USER,
  WEIGHTS,
} from './support/config.ts';

const now = new Date('2026-11-25T10:10:00Z');
const CONTAINER = `${WEIGHTS}/blobServices/default/containers/model-weights`;

type ListKeysEvent = {
  data: { claims: Record<string, string>; authorization: { evidence: { principalId: string } } };
};

function alertFrom(file: string, patch: (e: never) => void = () => {}): Alert {
  const event = JSON.parse(readFileSync(`test/fixtures/azure/${file}`, 'utf8'));
  patch(event as never);
  const parsed = parseAzureEvent(event);
  if (parsed.kind !== 'alerts') throw new Error(`fixture ${file} did not parse: ${JSON.stringify(parsed)}`);
  return parsed.alerts[0] as Alert;
}

const kinds = (actions: Action[]) => actions.map((a) => [a.id, a.kind, a.target]);

describe('decide (Azure)', () => {
  it('contains a Defender exfiltration alert: account and container closed, snapshots, copy after the quarantine', () => {
    const d = decide(alertFrom('defender-data-exfiltration.json'), azureConfig(), { packs: PACKS, now });
    expect(d.decision).toBe('contain');
    expect(d.incidentId).toMatch(/^azure-defender-[0-9a-f]{20}$/);
    expect(kinds(d.actions)).toEqual([
      ['a1', 'quarantine-storage-account', WEIGHTS],
      ['a2', 'quarantine-container', CONTAINER],
      ['a3', 'snapshot-blobs', CONTAINER],
      ['a4', 'copy-blob-evidence', CONTAINER],
      ['a5', 'escalate', CONTAINER],
    ]);
    expect(d.actions[0]?.params).toEqual({
      storageAccountId: WEIGHTS,
      resourceGroup: 'rg-ml',
      accountName: 'stweights',
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      network: { defaultAction: 'Deny', virtualNetworkSubnetIds: [SUBNET], ipRanges: ['198.51.100.0/28'] },
      revokeUserDelegationKeys: true,
      rotateKeys: false,
    });
    expect(d.actions[2]?.params).toMatchObject({ keys: [], prefixes: ['checkpoints/'], maxObjects: 1000 });
    expect(d.actions[3]?.dependsOn).toEqual(['a1', 'a3']);
    expect(d.actions[3]?.params).toMatchObject({
      evidenceStorageAccountId: EVIDENCE,
      evidenceAccountName: 'stevidence',
      evidenceContainer: 'evidence',
      evidencePrefix: `incidents/${d.incidentId}/blobs/stweights/model-weights/`,
      syncCopyMaxBytes: 256 * 1024 * 1024,
    });
  });

  it('keeps the quarantine responders-only for a caller IP: no network rule of its own would weaken it', () => {
    // Prepare: the exfiltration alert names the caller 203.0.113.77 (an ip entity, SAS authentication).
    const alert = alertFrom('defender-data-exfiltration.json');
    // Act
    const d = decide(alert, azureConfig(), { packs: PACKS, now });
    // Assess: Deny with only the responder network cuts the caller off, and every other address.
    expect(d.actions.map((a) => a.kind)).not.toContain('restrict-storage-network');
    expect(d.actions.find((a) => a.kind === 'quarantine-storage-account')?.params).toMatchObject({
      network: { defaultAction: 'Deny', virtualNetworkSubnetIds: [SUBNET], ipRanges: ['198.51.100.0/28'] },
    });
  });

  it('cuts a caller IP off an account left up (the playbook revokes, does not quarantine) by a rule of its own', () => {
    // Prepare: the same caller, in an access anomaly (revoke-principal, preserve-evidence, escalate).
    const alert = alertFrom('defender-data-exfiltration.json', (e: { properties: { alertType: string } }) => {
      e.properties.alertType = 'Storage.Blob_GeoAnomaly';
    });
    // Act
    const d = decide(alert, azureConfig(), { packs: PACKS, now });
    // Assess
    expect(kinds(d.actions)).toEqual([
      ['a1', 'restrict-storage-network', WEIGHTS],
      ['a2', 'snapshot-blobs', CONTAINER],
      ['a3', 'escalate', CONTAINER],
    ]);
    expect(d.actions[0]).toMatchObject({
      category: 'quarantine',
      params: {
        storageAccountId: WEIGHTS,
        resourceGroup: 'rg-ml',
        accountName: 'stweights',
        blockedAddress: '203.0.113.77',
        responders: { virtualNetworkSubnetIds: [SUBNET], ipRanges: ['198.51.100.0/28'] },
      },
    });
    // The escalation waits for it, so a caller still admitted (a wider allowed range) is told with why.
    expect(d.actions[2]?.after).toEqual(['a1']);
  });

  it.each([
    ['Storage.Blob_DataExfiltration.AmountOfDataAnomaly', 'quarantine-storage-account'],
    ['Storage.Blob_GeoAnomaly', 'snapshot-blobs'],
  ])(
    'does not cut a caller IP off storage with Deny when no responder network is configured (%s): escalates why',
    (type, kept) => {
      const alert = alertFrom(
        'defender-data-exfiltration.json',
        (e: { properties: { alertType: string } }) => {
          e.properties.alertType = type;
        },
      );
      const d = decide(alert, azureConfig({ responderNetwork: undefined }), { packs: PACKS, now });
      expect(d.actions.map((a) => a.kind)).toContain(kept);
      expect(d.actions.map((a) => a.kind)).not.toContain('restrict-storage-network');
      const reason = String((d.actions.at(-1)?.params as { reason?: string } | undefined)?.reason);
      expect(reason).toMatch(
        /203\.0\.113\.77 NOT cut off stweights .*no azure\.responderNetwork .*lock the responders out/,
      );
    },
  );

  it('tells humans in the escalation that the quarantine does not stop other data-plane role holders', () => {
    const d = decide(alertFrom('defender-data-exfiltration.json'), azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toContain('quarantine-storage-account');
    const reason = String((d.actions.at(-1)?.params as { reason?: string } | undefined)?.reason);
    expect(d.actions.at(-1)?.kind).toBe('escalate');
    expect(reason).toMatch(/stweights: identities holding data-plane roles .*keep access/);
    expect(reason).toMatch(/private endpoints/);
  });

  it('revokes a service principal that listed keys: role assignments in every subscription, optionally disabled', () => {
    const config = azureConfig({ disableServicePrincipals: true });
    const d = decide(alertFrom('eventgrid-listkeys.json'), config, { packs: PACKS, now });
    expect(kinds(d.actions).map(([, k]) => k)).toEqual([
      'remove-role-assignments',
      'disable-service-principal',
      'quarantine-storage-account',
      'quarantine-container',
      'snapshot-blobs',
      'escalate',
    ]);
    expect(d.actions[0]).toMatchObject({
      target: ATTACKER,
      params: { principalId: ATTACKER, subscriptions: [SUB], scopes: [] },
    });
    expect(d.actions[1]?.params).toEqual({ objectId: ATTACKER });
  });

  it('leaves network rules alone when no responder network is configured (responders keep data access)', () => {
    const d = decide(alertFrom('eventgrid-listkeys.json'), azureConfig({ responderNetwork: undefined }), {
      packs: PACKS,
      now,
    });
    expect(d.actions.find((a) => a.kind === 'quarantine-storage-account')?.params).toMatchObject({
      network: null,
    });
  });

  it('never loops on its own key rotation: the responder in an activity event is ignored', () => {
    const d = decide(alertFrom('eventgrid-regeneratekey-responder.json'), azureConfig(), {
      packs: PACKS,
      now,
    });
    expect(d.decision).toBe('ignore');
    expect(d.reason).toMatch(/responder/);
  });

  describe('guarded principals configured by application (client) id (issue 8, fix 5)', () => {
    it('a responder listed by its app id is still recognised, and the plan says so', () => {
      const config = azureConfig({ responders: ['5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d'] });
      const d = decide(alertFrom('eventgrid-regeneratekey-responder.json'), config, { packs: PACKS, now });
      expect(d.decision).toBe('ignore');
      expect(d.reason).toMatch(
        /0d3c2b1a-\S+ \(matched by the application \(client\) id 5a4b3c2d-.*\) is a responder/,
      );
    });

    it('a break-glass principal listed by its app id is never revoked', () => {
      const config = azureConfig({ protectedPrincipals: ['3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9'] });
      const d = decide(alertFrom('eventgrid-listkeys.json'), config, { packs: PACKS, now });
      expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
      expect(d.reason).toMatch(/application \(client\) id 3c2b1a0f-.*protected/);
    });
  });

  it("escalates a responder's oid that the authorization evidence contradicts instead of ignoring it", () => {
    // The claims name the responder, the evidence another principal: the actor is not certain.
    const alert = alertFrom('eventgrid-regeneratekey-responder.json', (events: ListKeysEvent[]) => {
      const [event] = events;
      if (event) event.data.authorization.evidence.principalId = ATTACKER;
    });
    expect(alert.principal?.certain).toBe(false);
    const d = decide(alert, azureConfig(), { packs: PACKS, now });
    expect(d.decision).toBe('contain');
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(d.actions.at(-1)).toMatchObject({
      kind: 'escalate',
      params: { reason: expect.stringMatching(/could not be resolved with certainty/) },
    });
  });

  it.each([
    ['a known identity', { knownIdentities: [ATTACKER] }, /known identity/],
    ['no known identities configured', { knownIdentities: [] }, /cannot be judged/],
  ])('does nothing about listKeys by %s', (_name, overrides, reason) => {
    const d = decide(alertFrom('eventgrid-listkeys.json'), azureConfig(overrides), { packs: PACKS, now });
    expect(d.decision).toBe('ignore');
    expect(d.reason).toMatch(reason);
  });

  it('revokes the user who wrote a role assignment on protected storage', () => {
    const d = decide(alertFrom('eventgrid-role-assignment-write.json'), azureConfig(), { packs: PACKS, now });
    expect(d.actions[0]).toMatchObject({ kind: 'remove-role-assignments', target: USER });
  });

  it('escalates instead of revoking an uncertain actor, and still closes the store', () => {
    const d = decide(alertFrom('hostile/listkeys-claims-disagree.json'), azureConfig(), {
      packs: PACKS,
      now,
    });
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(d.actions.map((a) => a.kind)).toContain('quarantine-storage-account');
    expect(d.actions.at(-1)?.params).toMatchObject({
      reason: expect.stringMatching(/could not be resolved/),
    });
  });

  it('keeps a break-glass actor untouched and the store open: humans judge', () => {
    const alert = alertFrom('eventgrid-listkeys.json', (events: ListKeysEvent[]) => {
      for (const e of events) {
        e.data.claims['http://schemas.microsoft.com/identity/claims/objectidentifier'] = BREAK_GLASS;
        e.data.authorization.evidence.principalId = BREAK_GLASS;
      }
    });
    const d = decide(alert, azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['snapshot-blobs', 'escalate']);
    expect(d.actions[1]?.params).toMatchObject({ reason: expect.stringMatching(/break-glass/) });
  });

  it('snapshots the deleted weights blob and closes the account when an unknown caller deletes it', () => {
    const d = decide(alertFrom('eventgrid-blob-deleted.json'), azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual([
      'quarantine-storage-account',
      'quarantine-container',
      'snapshot-blobs',
      'escalate',
    ]);
    expect(d.actions[2]?.params).toMatchObject({
      keys: ['checkpoints/llm-7b/model-00001-of-00004.safetensors'],
    });
  });

  it('never quarantines the evidence account, even when it is also a configured asset', () => {
    const config = azureConfig({
      assets: [
        { storageAccount: EVIDENCE, containers: ['evidence', 'staging'], kind: 'other', prefixes: [] },
      ],
    });
    const alert = {
      ...alertFrom('defender-data-exfiltration.json'),
      resources: [{ kind: 'storage-account' as const, id: EVIDENCE }],
    };
    const d = decide(alert, config, { packs: PACKS, now });
    expect(kinds(d.actions).map(([, k, t]) => [k, t])).toEqual([
      ['quarantine-container', `${EVIDENCE}/blobServices/default/containers/staging`],
      ['snapshot-blobs', `${EVIDENCE}/blobServices/default/containers/staging`],
      ['copy-blob-evidence', `${EVIDENCE}/blobServices/default/containers/staging`],
      ['escalate', EVIDENCE],
    ]);
  });

  it('escalates only when the blast radius is exceeded', () => {
    const config = azureConfig({}, { limits: { maxPrincipals: 2, maxStores: 1, maxObjects: 1000 } });
    const d = decide(alertFrom('defender-data-exfiltration.json'), config, { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
  });

  it.each([
    [
      'a subscription out of scope',
      (c: Config) => ({
        ...c,
        azure: {
          ...(c.azure as NonNullable<Config['azure']>),
          subscriptions: ['11111111-2222-4333-8444-555555555555'],
          tenantId: '11111111-2222-4333-8444-555555555555',
        },
      }),
      /not in scope/,
    ],
    ['a Defender sample alert', (c: Config) => c, /sample/],
  ])('ignores %s', (name, tweak, reason) => {
    const file = name.includes('sample') ? 'defender-sample-alert.json' : 'defender-data-exfiltration.json';
    const d = decide(alertFrom(file), tweak(azureConfig()), { packs: PACKS, now });
    expect(d.decision).toBe('ignore');
    expect(d.reason).toMatch(reason);
  });

  it('only escalates a Graph security alert', () => {
    const d = decide(alertFrom('graph-alert-created.json'), azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
  });

  it("snapshots the blob malware was found in (result from the account's system topic)", () => {
    const d = decide(alertFrom('malware-scanning-system-topic.json'), azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => [a.kind, 'keys' in a.params ? a.params.keys : undefined])).toEqual([
      ['snapshot-blobs', ['checkpoints/llm-7b/tokenizer.pkl']],
      ['escalate', undefined],
    ]);
  });

  it('only escalates a malware result from a custom topic, unless azure.trustedTopics lists it', () => {
    const topic = `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/malware-scan-results`;
    const untrusted = decide(alertFrom('malware-scanning-malicious.json'), azureConfig(), {
      packs: PACKS,
      now,
    });
    expect(untrusted.actions.map((a) => a.kind)).toEqual(['escalate']);
    expect(untrusted.reason).toMatch(/custom topic .*malware-scan-results.*azure\.trustedTopics/);
    const trusted = decide(
      alertFrom('malware-scanning-malicious.json'),
      azureConfig({ trustedTopics: [topic] }),
      {
        packs: PACKS,
        now,
      },
    );
    expect(trusted.actions.map((a) => a.kind)).toEqual(['snapshot-blobs', 'escalate']);
  });

  it('plans a manual Azure target like an automatic one, under the responder incident id', () => {
    const parsed = parseAzureTarget(
      { principal: `mi:${ATTACKER}`, stores: [CONTAINER], objects: [], accessKeyIds: [] },
      { incidentId: 'IR-2026-007', now, config: azureConfig() },
    );
    if (parsed.kind !== 'alerts') throw new Error(parsed.reason);
    const d = decide(parsed.alerts[0] as Alert, azureConfig(), {
      packs: PACKS,
      now,
      manual: { incidentId: 'IR-2026-007' },
    });
    expect(d.incidentId).toBe('IR-2026-007');
    expect(d.actions.map((a) => a.kind)).toEqual([
      'remove-role-assignments',
      'quarantine-storage-account',
      'quarantine-container',
      'snapshot-blobs',
      'copy-blob-evidence',
      'escalate',
    ]);
  });
});

describe('decide (Azure), azure.quarantine.removeDataRoleAssignments', () => {
  it('off by default: no assignment is removed', () => {
    const d = decide(alertFrom('defender-data-exfiltration.json'), azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).not.toContain('remove-data-role-assignments');
  });

  it('on: the account quarantine also removes direct data-role assignments at the account and its containers', () => {
    const config = azureConfig({ quarantine: { removeDataRoleAssignments: true } });
    const d = decide(alertFrom('defender-data-exfiltration.json'), config, { packs: PACKS, now });
    expect(kinds(d.actions)).toEqual([
      ['a1', 'quarantine-storage-account', WEIGHTS],
      ['a2', 'remove-data-role-assignments', WEIGHTS],
      ['a3', 'quarantine-container', CONTAINER],
      ['a4', 'snapshot-blobs', CONTAINER],
      ['a5', 'copy-blob-evidence', CONTAINER],
      ['a6', 'escalate', CONTAINER],
    ]);
    expect(d.actions[1]).toMatchObject({
      category: 'quarantine',
      params: { storageAccountId: WEIGHTS, accountName: 'stweights', containerScopes: [CONTAINER] },
    });
    const reason = String((d.actions.at(-1)?.params as { reason?: string } | undefined)?.reason);
    expect(reason).toMatch(/stweights: direct data-plane role assignments .* are removed/);
    expect(reason).toMatch(/inherited from its resource group, subscription or management group keep access/);
  });

  it('never removes assignments on the evidence account, even when it is also a configured asset', () => {
    const config = azureConfig({
      quarantine: { removeDataRoleAssignments: true },
      assets: [
        { storageAccount: EVIDENCE, containers: ['evidence', 'staging'], kind: 'other', prefixes: [] },
      ],
    });
    const alert = {
      ...alertFrom('defender-data-exfiltration.json'),
      resources: [{ kind: 'storage-account' as const, id: EVIDENCE }],
    };
    const d = decide(alert, config, { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).not.toContain('remove-data-role-assignments');
    expect(d.actions.map((a) => a.kind)).toContain('quarantine-container');
  });

  it('is strict config: a misspelt key fails closed with a clear message', () => {
    expect(() => azureConfig({ quarantine: { removeDataRoleAssignment: true } })).toThrow(
      /removeDataRoleAssignment/,
    );
    expect(() => azureConfig({ quarantine: { removeDataRoleAssignments: 'yes' } })).toThrow(
      /removeDataRoleAssignments/,
    );
  });
});
