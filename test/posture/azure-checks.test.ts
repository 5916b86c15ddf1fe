import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../core/posture/collect.ts';
import { evaluatePosture } from '../../core/posture/evaluate.ts';
import type { PostureSnapshot } from '../../core/posture/snapshot.ts';
import { azurePostureChecks } from '../../packs/azure/posture/index.ts';
import { azureConfig, EVIDENCE, SUB, WEIGHTS } from '../azure/support/config.ts';
import {
  azureSnapshot,
  EVIDENCE_CONTAINER,
  INFERENCE_SUBNET,
  NIC,
  NSG,
  OPENAI,
  VNET,
  WATCHER,
} from './support/azure-snapshot.ts';

const config = azureConfig({}, { detect: { inferenceEndpoints: [INFERENCE_SUBNET, NIC] } });
type Answers = Record<string, Record<string, unknown>>;
function snapshotWith(change: (azure: Answers) => void): PostureSnapshot {
  const snapshot = azureSnapshot();
  change(snapshot.azure as Answers);
  return snapshot;
}
const rowOf = (snapshot: PostureSnapshot, check: string, subject: string) => {
  const row = evaluatePosture(azurePostureChecks, snapshot, config).rows.find(
    (r) => r.check === check && r.subject.id === subject,
  );
  if (!row) throw new Error(`no row ${check} ${subject}`);
  return row;
};
const blobService = `${WEIGHTS}/blobServices/default`;
const diag = (azure: Answers, key: string, logs: unknown[], props: Record<string, unknown> = {}) => {
  const pages = (azure['Microsoft.Insights/diagnosticSettings'] as Answers)[key] as unknown as {
    value: { properties: Record<string, unknown> }[];
  }[];
  Object.assign(pages[0]?.value[0]?.properties ?? {}, { logs, ...props });
};
const flow = (azure: Answers, change: Record<string, unknown>) => {
  const pages = (azure['Microsoft.Network/networkWatchers/flowLogs'] as Answers)[WATCHER] as unknown as {
    value: { properties: Record<string, unknown> }[];
  }[];
  Object.assign(pages[0]?.value[0]?.properties ?? {}, change);
};

describe('Azure posture checks on recorded responses', () => {
  it('passes every check on a subscription set up as docs/posture.md says', () => {
    const report = evaluatePosture(azurePostureChecks, azureSnapshot(), config);
    expect(
      report.rows.filter((r) => r.status !== 'pass').map((r) => `${r.check} ${r.subject.name}: ${r.detail}`),
    ).toEqual([]);
    // 4 per asset account, 2 endpoints, 1 model account (the speech account is not one), 1 subscription,
    // the evidence container, Event Grid on the account and the subscription.
    expect(report.summary).toEqual({ pass: 11, fail: 0, unknown: 0 });
  });

  it('collecting from the recorded subscription asks for exactly what the evaluation reads', async () => {
    const recorded = azureSnapshot();
    const live = await collectSnapshot(
      azurePostureChecks,
      async (r) =>
        recorded.azure?.[r.op]?.[r.key] ?? { $error: { code: 'NotRecorded', status: 599, message: r.key } },
      { cloud: 'azure', config, scope: recorded.scope, now: new Date(recorded.takenAt) },
    );
    expect(live).toEqual(recorded);
  });

  describe('azure.blob-diagnostics', () => {
    it.each([
      [
        [
          { category: 'StorageWrite', enabled: true },
          { category: 'StorageDelete', enabled: true },
        ],
        'tourniquet: no StorageRead',
      ],
      [[{ categoryGroup: 'audit', enabled: true }], 'tourniquet: no StorageRead'],
      [
        [
          { category: 'StorageRead', enabled: false },
          { category: 'StorageWrite', enabled: true },
          { category: 'StorageDelete', enabled: true },
        ],
        'tourniquet: no StorageRead',
      ],
    ])('fails a setting without StorageRead (%j)', (logs, detail) => {
      const row = rowOf(
        snapshotWith((a) => diag(a, blobService, logs)),
        'azure.blob-diagnostics',
        WEIGHTS,
      );
      expect(row).toMatchObject({ status: 'fail', detail });
      expect(row.fix).toContain(`--resource ${blobService}`);
    });

    it('passes allLogs, and fails a setting that only goes to Log Analytics', () => {
      expect(
        rowOf(
          snapshotWith((a) => diag(a, blobService, [{ categoryGroup: 'allLogs', enabled: true }])),
          'azure.blob-diagnostics',
          WEIGHTS,
        ).status,
      ).toBe('pass');
      const workspace = snapshotWith((a) =>
        diag(a, blobService, [{ categoryGroup: 'allLogs', enabled: true }], {
          storageAccountId: null,
          workspaceId: '/subscriptions/x/workspaces/law',
        }),
      );
      expect(rowOf(workspace, 'azure.blob-diagnostics', WEIGHTS).detail).toBe(
        'tourniquet: no storage account destination (the scan reads blobs; Log Analytics alone is not read)',
      );
    });

    it('fails without any setting, and is unknown when the read was denied', () => {
      const none = snapshotWith((a) => {
        (a['Microsoft.Insights/diagnosticSettings'] as Answers)[blobService] = [{ value: [] }] as never;
      });
      expect(rowOf(none, 'azure.blob-diagnostics', WEIGHTS).detail).toBe(
        'no diagnostic setting on the blob service of stweights',
      );
      const denied = snapshotWith((a) => {
        (a['Microsoft.Insights/diagnosticSettings'] as Answers)[blobService] = {
          $error: { code: 'AuthorizationFailed', status: 403, message: 'does not have authorization' },
        };
      });
      expect(rowOf(denied, 'azure.blob-diagnostics', WEIGHTS).status).toBe('unknown');
    });
  });

  it.each([
    [
      'azure.blob-data-protection',
      'Microsoft.Storage/storageAccounts/blobServices',
      blobService,
      {
        properties: {
          isVersioningEnabled: false,
          deleteRetentionPolicy: { enabled: false },
          changeFeed: { enabled: false },
        },
      },
      'off: versioning, blob soft delete, change feed',
    ],
    [
      'azure.shared-key-access',
      'Microsoft.Storage/storageAccounts',
      WEIGHTS,
      { properties: { allowBlobPublicAccess: false } },
      'Shared Key access is on (not set: the default allows it)',
    ],
    [
      'azure.public-access',
      'Microsoft.Storage/storageAccounts',
      WEIGHTS,
      { properties: { allowSharedKeyAccess: false, allowBlobPublicAccess: true } },
      'the account allows public access',
    ],
    [
      'azure.public-access',
      'Microsoft.Storage/storageAccounts/blobServices/containers',
      `${blobService}/containers/model-weights`,
      { properties: { publicAccess: 'Blob' } },
      'public containers: model-weights',
    ],
  ])('%s fails on %s', (check, op, key, answer, detail) => {
    const row = rowOf(
      snapshotWith((a) => {
        (a[op] as Answers)[key] = answer;
      }),
      check,
      WEIGHTS,
    );
    expect(row).toMatchObject({ status: 'fail', detail });
    expect(row.fix).toMatch(/^az storage account/);
  });

  describe('azure.flow-logs', () => {
    it('accepts the VNet flow log for the subnet and for a NIC in it', () => {
      expect(rowOf(azureSnapshot(), 'azure.flow-logs', INFERENCE_SUBNET).status).toBe('pass');
      expect(rowOf(azureSnapshot(), 'azure.flow-logs', NIC).detail).toBe(
        'vnet-ml-flows on vnet-ml to stlogs',
      );
    });

    it.each([
      [
        { targetResourceId: `${VNET.replace('vnet-ml', 'vnet-other')}` },
        'no flow log on snet-inference, its VNet or its NSG (flow logs exist on vnet-other)',
      ],
      [
        { enabledFilteringCriteria: 'dstPort=443' },
        'vnet-ml-flows: filtered (dstPort=443): only part of the traffic is logged',
      ],
      [{ enabled: false }, 'vnet-ml-flows: disabled'],
      [
        { targetResourceId: NSG, format: { type: 'JSON', version: 1 } },
        'vnet-ml-flows: NSG flow log version 1 has no bytes',
      ],
    ])('fails a flow log with %j', (change, detail) => {
      expect(
        rowOf(
          snapshotWith((a) => flow(a, change)),
          'azure.flow-logs',
          INFERENCE_SUBNET,
        ),
      ).toMatchObject({ status: 'fail', detail });
    });

    it('accepts an NSG flow log of version 2 on the subnet NSG', () => {
      expect(
        rowOf(
          snapshotWith((a) => flow(a, { targetResourceId: NSG })),
          'azure.flow-logs',
          INFERENCE_SUBNET,
        ).status,
      ).toBe('pass');
    });
  });

  it('azure.openai-diagnostics finds the OpenAI account and fails it without RequestResponse', () => {
    const row = rowOf(
      snapshotWith((a) => diag(a, OPENAI, [{ category: 'Audit', enabled: true }])),
      'azure.openai-diagnostics',
      OPENAI,
    );
    expect(row).toMatchObject({
      status: 'fail',
      detail: 'tourniquet: no RequestResponse',
      subject: { name: 'oai-prod (OpenAI)' },
    });
  });

  it.each([
    [{ name: 'StorageAccounts', properties: { pricingTier: 'Free' } }, 'Defender for Storage is off'],
    [
      { name: 'StorageAccounts', properties: { pricingTier: 'Standard', subPlan: 'PerTransaction' } },
      'Defender for Storage is on the PerTransaction plan (no malware scanning or sensitive data threat detection)',
    ],
    [{ name: 'AI', properties: { pricingTier: 'Free' } }, 'Defender for AI services is off'],
  ])('azure.defender fails on %j', (plan, detail) => {
    const row = rowOf(
      snapshotWith((a) => {
        const page = (
          (a['Microsoft.Security/pricings'] as Answers)[SUB] as unknown as { value: { name: string }[] }[]
        )[0];
        if (page) page.value = page.value.map((p) => (p.name === plan.name ? plan : p));
      }),
      'azure.defender',
      SUB,
    );
    expect(row).toMatchObject({ status: 'fail', detail });
  });

  it.each([
    [
      { $error: { code: 'ImmutabilityPolicyNotFound', status: 404, message: '' } },
      'fail',
      'no immutability policy: journal entries and evidence can be deleted',
    ],
    [
      { properties: { immutabilityPeriodSinceCreationInDays: 7, state: 'Locked' } },
      'fail',
      'retention is 7 days, under the 30 the NIS2 final report needs',
    ],
    [
      { properties: { immutabilityPeriodSinceCreationInDays: 400, state: 'Unlocked' } },
      'pass',
      'Unlocked retention of 400 days (an unlocked policy can still be shortened or removed: lock it)',
    ],
  ])('azure.evidence-immutability on %j', (answer, status, detail) => {
    const row = rowOf(
      snapshotWith((a) => {
        (a['Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies'] as Answers)[
          `${EVIDENCE_CONTAINER}/immutabilityPolicies/default`
        ] = answer;
      }),
      'azure.evidence-immutability',
      EVIDENCE_CONTAINER,
    );
    expect(row).toMatchObject({ status, detail });
    expect(EVIDENCE_CONTAINER.startsWith(EVIDENCE)).toBe(true);
  });

  describe('azure.event-grid-subscriptions', () => {
    const sub = (a: Answers, key: string) =>
      (
        (a['Microsoft.EventGrid/systemTopics/eventSubscriptions'] as Answers)[key] as unknown as {
          value: { properties: Record<string, unknown> }[];
        }[]
      )[0]?.value[0]?.properties ?? {};
    const topicOf = (a: Answers, n: number) =>
      (
        (a['Microsoft.EventGrid/systemTopics'] as Answers)[`/subscriptions/${SUB}`] as unknown as {
          value: { id: string }[];
        }[]
      )[0]?.value[n]?.id ?? '';

    it('fails a subscription without dead-letter, and one that filters out what Tourniquet acts on', () => {
      const noDeadLetter = snapshotWith((a) => {
        delete sub(a, topicOf(a, 0)).deadLetterDestination;
      });
      expect(rowOf(noDeadLetter, 'azure.event-grid-subscriptions', WEIGHTS)).toMatchObject({
        status: 'fail',
        detail: 'tourniquet: no dead-letter destination',
      });
      const filtered = snapshotWith((a) => {
        sub(a, topicOf(a, 1)).filter = { includedEventTypes: ['Microsoft.Resources.ResourceWriteSuccess'] };
      });
      expect(rowOf(filtered, 'azure.event-grid-subscriptions', SUB).detail).toBe(
        'tourniquet: filters out Microsoft.Resources.ResourceActionSuccess',
      );
    });

    it('fails a storage account whose events go to someone else only', () => {
      const elsewhere = snapshotWith((a) => {
        sub(a, topicOf(a, 0)).destination = {
          endpointType: 'EventHub',
          properties: { resourceId: '/subscriptions/x/eventhubs/siem' },
        };
      });
      expect(rowOf(elsewhere, 'azure.event-grid-subscriptions', WEIGHTS).detail).toBe(
        'no event subscription of stweights delivers to Tourniquet',
      );
    });
  });
});
