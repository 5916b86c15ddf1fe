// Fixture formats and their documentation: test/fixtures/azure/README.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { parseAzureEvent, parseAzureTarget, validationCode } from '../../functions-azure/events/index.ts';
import { redactEvent } from '../../functions-azure/events/redact.ts';
import { ATTACKER, azureConfig, RESPONDER, SUB, TENANT, USER, WEIGHTS } from './support/config.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(`test/fixtures/azure/${name}`, 'utf8'));
const BLOB =
  'https://stweights.blob.core.windows.net/model-weights/checkpoints/llm-7b/model-00001-of-00004.safetensors';

function onlyAlert(parsed: ParsedEvent): Alert {
  expect(parsed.kind, JSON.stringify(parsed)).toBe('alerts');
  const alerts = parsed.kind === 'alerts' ? parsed.alerts : [];
  expect(alerts).toHaveLength(1);
  return alerts[0] as Alert;
}

describe('parseAzureEvent: Event Grid blob events', () => {
  it('reads a BlobDeleted event (Event Grid schema) with the caller Storage reports', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('eventgrid-blob-deleted.json')));
    expect(alert).toMatchObject({
      id: '4c2359fe-001e-00ba-0e04-58586806d298',
      dedupeKey: `azure:eventgrid:${SUB}:4c2359fe-001e-00ba-0e04-58586806d298`,
      cloud: 'azure',
      source: 'eventgrid',
      type: 'Microsoft.Storage.BlobDeleted',
      severity: 7,
      account: SUB,
      observedAt: '2026-11-25T10:02:11.567Z',
      principal: { id: ATTACKER, kind: 'unknown', certain: false },
      resources: [
        { kind: 'container', id: `${WEIGHTS}/blobServices/default/containers/model-weights` },
        { kind: 'blob', id: BLOB },
      ],
      context: { api: 'DeleteBlob' },
    });
  });

  it('reads a BlobTierChanged CloudEvent, naming a Shared Key / SAS caller as such', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('cloudevents-blob-tier-changed.json')));
    expect(alert.type).toBe('Microsoft.Storage.BlobTierChanged');
    expect(alert.principal).toMatchObject({
      id: 'shared-key',
      certain: false,
      aliases: [{ type: 'sas', value: '$superuser' }],
    });
    expect(alert.context).toMatchObject({
      accessTier: 'Archive',
      previousTier: 'Hot',
      contentLength: 4932112384,
    });
  });

  it('accepts the same event as JSON text', () => {
    const text = readFileSync('test/fixtures/azure/eventgrid-blob-deleted.json', 'utf8');
    expect(onlyAlert(parseAzureEvent(text)).id).toBe('4c2359fe-001e-00ba-0e04-58586806d298');
  });
});

describe('parseAzureEvent: resource events', () => {
  it('reads listKeys by a service principal: certain, from claims and authorization evidence', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('eventgrid-listkeys.json')));
    expect(alert).toMatchObject({
      type: 'Microsoft.Storage/storageAccounts/listKeys/action',
      severity: 8,
      account: SUB,
      principal: { id: ATTACKER, kind: 'service-principal', account: TENANT, certain: true },
      resources: [{ kind: 'storage-account', id: WEIGHTS }],
      context: { scope: WEIGHTS, clientIp: '203.0.113.77' },
    });
  });

  it('recognises the responder managed identity (xms_mirid) rotating keys', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('eventgrid-regeneratekey-responder.json')));
    expect(alert.principal).toMatchObject({ id: RESPONDER, kind: 'managed-identity', certain: true });
  });

  it('reads a role assignment written on protected storage by a user, with its scope', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('eventgrid-role-assignment-write.json')));
    expect(alert).toMatchObject({
      type: 'Microsoft.Authorization/roleAssignments/write',
      principal: { id: USER, kind: 'entra-user', name: 'mallory@contoso.example', certain: true },
      resources: [{ kind: 'storage-account', id: WEIGHTS }],
      context: { scope: WEIGHTS },
    });
  });

  it.each([
    ['the evidence names another principal than the token', 'hostile/listkeys-claims-disagree.json'],
    ['the token comes from another tenant', 'hostile/listkeys-foreign-tenant-token.json'],
  ])('marks the actor uncertain when %s', (_why, name) => {
    const alert = onlyAlert(parseAzureEvent(fixture(name)));
    expect(alert.principal?.certain).toBe(false);
  });
});

describe('parseAzureEvent: alerts', () => {
  it('reads a Defender storage exfiltration alert, narrowed to the named container', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('defender-data-exfiltration.json')));
    expect(alert).toMatchObject({
      id: '2517538088322968242_7951468c-3909-4b52-a442-c1f4b92d5162',
      dedupeKey: `azure:defender:${SUB}:2517538088322968242_7951468c-3909-4b52-a442-c1f4b92d5162`,
      source: 'defender',
      type: 'Storage.Blob_DataExfiltration.AmountOfDataAnomaly',
      severity: 8,
      sample: false,
      principal: null,
      resources: [{ kind: 'container', id: `${WEIGHTS}/blobServices/default/containers/model-weights` }],
      context: { clientIp: '203.0.113.77', authenticationType: 'SAS', extractedData: '27.4 GB' },
    });
  });

  it('marks Defender sample alerts as samples', () => {
    expect(onlyAlert(parseAzureEvent(fixture('defender-sample-alert.json'))).sample).toBe(true);
  });

  it('reads an Activity Log listKeys alert as the same operation Event Grid reports', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('monitor-activity-log-listkeys.json')));
    expect(alert).toMatchObject({
      source: 'monitor',
      type: 'Microsoft.Storage/storageAccounts/listKeys/action',
      severity: 8,
      principal: { id: ATTACKER, kind: 'service-principal', certain: true },
      resources: [{ kind: 'storage-account', id: WEIGHTS }],
    });
  });

  it('reads a metric alert on storage egress', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('monitor-metric-egress.json')));
    expect(alert).toMatchObject({
      type: 'Metric:Egress',
      severity: 8,
      resources: [{ kind: 'storage-account', id: WEIGHTS }],
    });
  });

  it('reads a Graph AlertCreated CloudEvent without its client state', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('graph-alert-created.json')));
    expect(alert).toMatchObject({ source: 'graph', account: TENANT, id: 'da637966482931201254_-1430478216' });
    expect(JSON.stringify(alert)).not.toContain('s3cr3t');
  });

  it('reads a malicious malware scan result on a protected blob', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('malware-scanning-malicious.json')));
    expect(alert).toMatchObject({
      source: 'malware-scanning',
      type: 'Malicious',
      resources: [
        {
          kind: 'blob',
          id: 'https://stweights.blob.core.windows.net/model-weights/checkpoints/llm-7b/tokenizer.pkl',
        },
      ],
      context: {
        malwareNames: ['Trojan:Python/PickleLoader.A'],
        eTag: '0x8DBCFD701F78E3B',
        scanFinishedAt: '2026-11-25T10:06:42.803Z',
        eventGridTopic: `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/malware-scan-results`,
      },
    });
    expect(alert.context.eventGridSourceClaimed).toBeUndefined();
  });

  it("marks no channel on a result from the scanned account's own system topic", () => {
    const alert = onlyAlert(parseAzureEvent(fixture('malware-scanning-system-topic.json')));
    expect(alert).toMatchObject({
      account: SUB,
      dedupeKey: `azure:malware-scanning:${SUB}:2209bebf-9e38-4fdd-bf9c-5842129d8f63`,
    });
    expect(Object.keys(alert.context).sort()).toEqual(['eTag', 'malwareNames', 'scanFinishedAt', 'sha256']);
  });

  it('marks a CloudEvents result by the source its publisher wrote', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('cloudevents-malware-scanning.json')));
    expect(alert.context).toMatchObject({
      eventGridTopic: `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/malware-scan-results`,
      eventGridSourceClaimed: true,
    });
  });

  it('reads a Defender alert delivered as the data of a custom topic event', () => {
    const wrapped = {
      id: 'f5e4d3c2-b1a0-4f9e-8d7c-6b5a4f3e2d1c',
      topic: `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/defender-alerts`,
      subject: 'defender/alerts',
      eventType: 'Tourniquet.DefenderAlert',
      eventTime: '2026-11-25T10:00:45Z',
      data: fixture('defender-data-exfiltration.json'),
      dataVersion: '1',
    };
    expect(onlyAlert(parseAzureEvent(wrapped)).type).toBe(
      'Storage.Blob_DataExfiltration.AmountOfDataAnomaly',
    );
  });
});

describe('parseAzureEvent: ignored', () => {
  it.each([
    ['a subscription validation handshake', 'eventgrid-subscription-validation.json', /validation handshake/],
    ['a resolved Defender alert', 'defender-resolved.json', /Resolved/],
    ['a resolved Monitor alert', 'monitor-resolved.json', /Resolved/],
    ['a clean malware scan', 'malware-scanning-clean.json', /No threats found/],
  ])('ignores %s', (_name, file, reason) => {
    const parsed = parseAzureEvent(fixture(file));
    expect(parsed.kind).toBe('ignored');
    expect(parsed.kind !== 'alerts' && parsed.reason).toMatch(reason);
  });

  it('gives the validation code to echo, and nothing for other events', () => {
    expect(validationCode(fixture('eventgrid-subscription-validation.json'))).toBe(
      '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    );
    expect(validationCode(fixture('eventgrid-listkeys.json'))).toBeUndefined();
  });
});

describe('parseAzureEvent: rejected', () => {
  it.each([
    ['hostile/blob-url-disagrees-with-subject.json', /does not name the blob/],
    ['hostile/blob-topic-not-storage.json', /storage account resource id/],
    ['hostile/blob-path-traversal.json', /subject must be/],
    ['hostile/blob-url-with-sas.json', /does not name the blob/],
    ['hostile/blob-subscription-not-guid.json', /storage account resource id/],
    ['hostile/listkeys-topic-other-subscription.json', /not in subscription/],
    ['hostile/cloudevents-wrong-version.json', /specversion must be "1.0"/],
    ['hostile/cloudevents-binary-data.json', /binary event data/],
    ['hostile/batch-with-one-forged-event.json', /event\[1\].*does not name the blob/],
    ['hostile/defender-id-not-an-alert.json', /Microsoft.Security alert resource id/],
    ['hostile/defender-unknown-severity.json', /severity must be/],
    ['hostile/graph-tenant-mismatch.json', /does not match the source tenant/],
    ['hostile/malware-foreign-host.json', /must be a blob URL/],
    [
      'hostile/malware-system-topic-other-account.json',
      /event\.topic is storage account stother, but data\.blobUri names account stweights/,
    ],
    ['hostile/malware-no-correlation-id.json', /data\.correlationId must be a non-empty string/],
    ['hostile/malware-bad-finish-time.json', /data\.scanFinishedTimeUtc must be an ISO 8601 time/],
  ])('rejects %s', (file, reason) => {
    const parsed = parseAzureEvent(fixture(file));
    expect(parsed.kind).toBe('rejected');
    expect(parsed.kind === 'rejected' && parsed.reason).toMatch(reason);
  });

  it('ignores an injected resource id instead of passing it on', () => {
    const alert = onlyAlert(parseAzureEvent(fixture('hostile/defender-injected-resource-id.json')));
    expect(alert.resources).toEqual([]);
  });

  it.each([
    [
      'an event over 1 MB',
      () => [{ ...(fixture('eventgrid-blob-deleted.json') as object[])[0], pad: 'x'.repeat(1024 * 1024) }],
      /over 1 MB/,
    ],
    ['text that is not JSON', () => '{"eventType": ', /not valid JSON/],
    ['an empty batch', () => [], /empty batch/],
    ['a number', () => 42, /is not an Event Grid event/],
    ['null', () => null, /is not an Event Grid event/],
    [
      'a circular object',
      () => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      },
      /could not be parsed/,
    ],
    [
      'an AWS EventBridge event',
      () => ({ source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: {} }),
      /is not an Event Grid event/,
    ],
  ])('rejects %s without throwing', (_name, make, reason) => {
    const parsed = parseAzureEvent(make());
    expect(parsed.kind).toBe('rejected');
    expect(parsed.kind === 'rejected' && parsed.reason).toMatch(reason);
  });
});

describe('parseAzureTarget', () => {
  const meta = { incidentId: 'IR-2026-007', now: new Date('2026-11-25T10:10:00Z'), config: azureConfig() };

  it('makes a manual alert of a typed principal, a store and a blob (ids lower-cased, group name kept)', () => {
    const parsed = parseAzureTarget(
      {
        principal: `sp:${ATTACKER.toUpperCase()}`,
        stores: [WEIGHTS.toUpperCase()],
        objects: [BLOB],
        accessKeyIds: [],
      },
      meta,
    );
    expect(onlyAlert(parsed)).toMatchObject({
      source: 'manual',
      account: SUB,
      principal: { id: ATTACKER, kind: 'service-principal', certain: true },
      resources: [
        { kind: 'storage-account', id: WEIGHTS.replace('rg-ml', 'RG-ML') },
        { kind: 'blob', id: BLOB },
      ],
    });
  });

  it('acts on a container that is not an asset only when forced, and records it in the alert', () => {
    const scratch = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stscratch/blobServices/default/containers/exports`;
    const parsed = parseAzureTarget(
      { stores: [scratch], objects: [], accessKeyIds: [], forceUnlisted: true },
      meta,
    );
    expect(onlyAlert(parsed).context).toEqual({ forceUnlisted: [scratch] });
  });

  it.each([
    [
      { stores: [WEIGHTS.replace('stweights', 'stscratch')] },
      /stscratch is not a configured asset \(azure\.assets\).*--force-unlisted/,
    ],
    [
      { stores: [WEIGHTS.replace('stweights', 'stscratch')], forceUnlisted: true },
      /forceUnlisted needs container resource ids/,
    ],
    [
      { stores: [`${WEIGHTS}/blobServices/default/containers/other`] },
      /containers\/other is not a configured asset/,
    ],
    [
      {
        stores: [
          `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Storage/storageAccounts/stevidence/blobServices/default/containers/evidence`,
        ],
        forceUnlisted: true,
      },
      /stevidence holds the evidence/,
    ],
    [{ principal: ATTACKER, stores: [WEIGHTS] }, /sp:<object id>/],
    [{ principal: `sp:${ATTACKER}`, stores: [] }, /at least one store/],
    [{ stores: ['stweights'] }, /stores\[0\]/],
    [{ stores: [WEIGHTS], objects: ['s3://bucket/key'] }, /objects\[0\] must be a blob URL/],
    [{ stores: [WEIGHTS], accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'] }, /AWS access keys/],
  ])('rejects %j', (target, reason) => {
    const parsed = parseAzureTarget({ objects: [], accessKeyIds: [], ...target }, meta);
    expect(parsed.kind).toBe('rejected');
    expect(parsed.kind === 'rejected' && parsed.reason).toMatch(reason);
  });
});

describe('redactEvent', () => {
  it('removes delivery secrets and keeps the rest', () => {
    const redacted = JSON.stringify(redactEvent(fixture('graph-alert-created.json')));
    expect(redacted).not.toContain('s3cr3t');
    expect(redacted).toContain('da637966482931201254_-1430478216');
  });
});
