import { TableClient } from '@azure/data-tables';
import { InvocationContext } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { completedBlob } from '../../functions-azure/detect/log-blob.ts';
import { tableWindowStore } from '../../functions-azure/detect/table-window-store.ts';
import { createScanFunction } from '../../functions-azure/functions/scan.ts';
import { blobUrl } from '../../packs/azure/names.ts';
import { detectConfig, SUBSCRIPTION } from './detect-config.ts';

// BlobCreated event: MicrosoftDocs/azure-docs articles/event-grid/event-schema-blob-storage.md.
// Log lines: StorageBlobLogs resource logs (test/fixtures/logs/README.md). Blob paths: Azure Monitor
// archives resource logs as insights-logs-<category>/resourceId=…/y=/m=/d=/h=/m=00/PT1H.json.

const LOG_ACCOUNT = `/subscriptions/${SUBSCRIPTION}/resourceGroups/llm-rg/providers/Microsoft.Storage/storageAccounts/llmlogs`;
const CONTAINER = 'insights-logs-storageread';
const PREFIX = `resourceId=/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/LLM-RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/LLMWEIGHTS/BLOBSERVICES/DEFAULT`;
const hourBlob = (h: string) => `${PREFIX}/y=2026/m=11/d=25/h=${h}/m=00/PT1H.json`;

function blobCreated(blob: string, id = 'ev-1') {
  return {
    topic: LOG_ACCOUNT,
    subject: `/blobServices/default/containers/${CONTAINER}/blobs/${blob}`,
    eventType: 'Microsoft.Storage.BlobCreated',
    eventTime: '2026-11-25T10:00:05.0000000Z',
    id,
    data: {
      api: 'PutBlob',
      clientRequestId: 'c-1',
      requestId: 'r-1',
      eTag: '0x8DC1E2F3A4B5C6D',
      contentType: 'application/json',
      contentLength: 0,
      blobType: 'AppendBlob',
      url: `https://llmlogs.blob.core.windows.net/${CONTAINER}/${blob.split('/').map(encodeURIComponent).join('/')}`,
      sequencer: '00000000000000000000000000000F2A0000000000a1b2c3',
      storageDiagnostics: { batchId: 'b-1' },
    },
    dataVersion: '',
    metadataVersion: '1',
  };
}

function getBlob(i: number, minute: number) {
  return JSON.stringify({
    time: `2026-11-25T09:${String(minute).padStart(2, '0')}:00.0000000Z`,
    resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/llm-rg/providers/Microsoft.Storage/storageAccounts/llmweights/blobServices/default`,
    category: 'StorageRead',
    operationName: 'GetBlob',
    statusCode: 200,
    callerIpAddress: '198.51.100.61:41022',
    correlationId: `corr-${i}`,
    identity: {
      type: 'SAS',
      tokenHash: 'key1(0A0X),SasSignature(04D64C2B3A704145C9F1664F201123467A74D72DA72751A9137DDAA732FA03CF)',
    },
    properties: { accountName: 'llmweights', responseBodySize: 6442450944, requestBodySize: 0 },
    uri: `https://llmweights.blob.core.windows.net/models/llama/model-0000${i}-of-00003.safetensors?sv=2022-11-02&sig=REDACTED`,
  });
}

describe('scan function (Azure)', () => {
  let service: BlobServiceClient;
  let table: TableClient;
  beforeAll(async () => {
    const { connectionString } = inject('azurite');
    service = BlobServiceClient.fromConnectionString(connectionString);
    await service.getContainerClient(CONTAINER).createIfNotExists();
    const lines = [1, 2, 3].map((i) => getBlob(i, i * 10)).join('\n');
    await service
      .getContainerClient(CONTAINER)
      .getBlockBlobClient(hourBlob('09'))
      .upload(lines, Buffer.byteLength(lines));
    table = TableClient.fromConnectionString(connectionString, `tqazscan${Date.now()}`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
  });

  const run = async (event: unknown) => {
    const logs: unknown[][] = [];
    const fn = createScanFunction(async () => ({
      config: detectConfig(),
      state: tableWindowStore(table),
      blobClient: (b) => service.getContainerClient(b.container).getBlobClient(b.blob),
    }));
    return fn(event, new InvocationContext({ logHandler: (_level, ...args) => logs.push(args) }));
  };

  it('on the creation of hour 10, scans the finished hour 9 from Azurite and decides on its alerts', async () => {
    const result = await run(blobCreated(hourBlob('10')));
    expect(result).toMatchObject({
      scanned: [
        { object: blobUrl('llmlogs', CONTAINER, hourBlob('09')), stats: { format: 'azure-storage' } },
      ],
    });
    const decisions = 'decisions' in result ? result.decisions : [];
    // Bulk volume, a first-ever reader and an unexpected network: one corroborated finding.
    expect(decisions.map((d) => d.alert?.type)).toEqual([T.bulkRead]);
    const bulk = decisions.find((d) => d.alert?.type === T.bulkRead);
    expect(bulk?.alert?.principal).toBe(
      'sas:04D64C2B3A704145C9F1664F201123467A74D72DA72751A9137DDAA732FA03CF',
    );
    // A SAS is not an identity: nothing may be revoked for it, humans are told.
    expect(bulk?.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(bulk?.reason).toMatch(/could not be resolved with certainty/);
  });

  it('scans a finished blob once, however many BlobCreated events its successor fires', async () => {
    const again = await run(blobCreated(hourBlob('10'), 'ev-2'));
    expect(again).toEqual({
      scanned: [{ object: blobUrl('llmlogs', CONTAINER, hourBlob('09')), skipped: 'already scanned' }],
      decisions: [],
    });
  });

  it('skips quietly when there is no earlier hour, and rejects events that disagree with themselves', async () => {
    expect(await run(blobCreated(hourBlob('03')))).toEqual({
      scanned: [{ object: blobUrl('llmlogs', CONTAINER, hourBlob('02')), skipped: 'does not exist' }],
      decisions: [],
    });
    const forged = { ...blobCreated(hourBlob('10')), topic: LOG_ACCOUNT.replace('llmlogs', 'otheracct') };
    expect(await run(forged)).toEqual({ rejected: expect.stringMatching(/do not name the same blob/) });
  });

  it('finds the previous hour across midnight and month ends', () => {
    const b = { account: 'a', subscriptionId: SUBSCRIPTION, container: CONTAINER };
    expect(completedBlob({ ...b, blob: `${PREFIX}/y=2026/m=12/d=01/h=00/m=00/PT1H.json` }).blob).toBe(
      `${PREFIX}/y=2026/m=11/d=30/h=23/m=00/PT1H.json`,
    );
    expect(completedBlob({ ...b, blob: 'exports/gateway-2026-11-25.jsonl' }).blob).toBe(
      'exports/gateway-2026-11-25.jsonl',
    );
  });
});
