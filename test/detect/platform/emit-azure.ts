/**
 * Azure log records in the documented formats (shapes of test/fixtures/logs/, which cite the docs):
 * StorageBlobLogs resource logs, Azure OpenAI `RequestResponse` and API Management `GatewayLlmLogs`,
 * VNet flow logs v4 and NSG flow logs v2; and Tourniquet's generic inference JSON lines.
 */
import { SUBSCRIPTION } from '../detect-config.ts';
import { idOf, iso } from './emit-aws.ts';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/llm-rg`;
export const OPENAI_RESOURCE =
  `${RG}/providers/Microsoft.CognitiveServices/accounts/contoso-openai`.toUpperCase();
export const APIM_RESOURCE = `${RG}/providers/Microsoft.ApiManagement/service/contoso-apim`.toUpperCase();

/** Who called storage: an Entra identity (OAuth), a SAS (its signature hash), the account key, nobody. */
export type BlobAuth =
  | { type: 'OAuth'; objectId: string; principalType: 'ServicePrincipal' | 'User' }
  | { type: 'SAS'; signatureHash: string }
  | { type: 'AccountKey' }
  | { type: 'Anonymous' };

export interface BlobRequest {
  at: number;
  op: 'GetBlob' | 'PutBlob' | 'PutBlockList' | 'CopyBlob' | 'DeleteBlob';
  account: string;
  container: string;
  blob: string;
  bytes: number;
  ip: string;
  auth: BlobAuth;
  md5?: string;
  sourceUri?: string;
  status?: number;
  n: number;
}

const CATEGORY = {
  GetBlob: 'StorageRead',
  PutBlob: 'StorageWrite',
  PutBlockList: 'StorageWrite',
  CopyBlob: 'StorageWrite',
  DeleteBlob: 'StorageDelete',
};

function identity(auth: BlobAuth): Record<string, unknown> {
  if (auth.type === 'OAuth')
    return {
      type: 'OAuth',
      tokenHash: idOf('', `tok-${auth.objectId}`, 64),
      authorization: [
        {
          action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
          roleAssignmentId: '4e2521b7-13be-4363-aeda-111111111111',
          roleDefinitionId: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
          principals: [{ id: auth.objectId, type: auth.principalType }],
          denyAssignmentId: '',
        },
      ],
      requester: {
        appId: '0c5cdb5a-1111-4b2e-9f10-222222222222',
        audience: 'https://storage.azure.com/',
        objectId: auth.objectId,
        tenantId: TENANT,
        tokenIssuer: `https://sts.windows.net/${TENANT}/`,
      },
    };
  if (auth.type === 'SAS')
    return { type: 'SAS', tokenHash: `key1(${idOf('', 'key1', 64)}),SasSignature(${auth.signatureHash})` };
  if (auth.type === 'AccountKey') return { type: 'AccountKey', tokenHash: `key1(${idOf('', 'key1', 64)})` };
  return { type: 'Anonymous' };
}

/** One StorageBlobLogs record as archived to `insights-logs-storage*` (one JSON per line). */
export function blobLogLine(r: BlobRequest): string {
  const status = r.status ?? (r.op === 'DeleteBlob' ? 202 : r.op === 'GetBlob' ? 200 : 201);
  const read = r.op === 'GetBlob';
  const uri = `https://${r.account}.blob.core.windows.net:443/${r.container}/${r.blob}${r.auth.type === 'SAS' ? '?sv=2022-11-02&sr=c&sp=rl&sig=XXXXX' : ''}`;
  return JSON.stringify({
    time: new Date(r.at).toISOString().replace('Z', '0000Z'),
    resourceId: `${RG}/providers/Microsoft.Storage/storageAccounts/${r.account}/blobServices/default`,
    category: CATEGORY[r.op],
    operationName: r.op,
    operationVersion: '2021-12-02',
    schemaVersion: '1.0',
    statusCode: status,
    statusText: status < 300 ? 'Success' : status === 503 ? 'ServerBusy' : 'AuthorizationFailure',
    durationMs: Math.max(3, Math.round(r.bytes / 150_000_000) * 1000 + 12),
    callerIpAddress: `${r.ip}:${50_000 + (r.n % 15_000)}`,
    correlationId: `${idOf('', `c-${r.n}`, 8).toLowerCase()}-201e-004e-1c99-${String(r.n).padStart(12, '0')}`,
    identity: identity(r.auth),
    location: 'westeurope',
    properties: {
      accountName: r.account,
      userAgentHeader: 'azsdk-python-storage-blob/12.19.0 Python/3.11.6 (Linux-5.15)',
      clientRequestId: idOf('', `cr-${r.n}`, 12).toLowerCase(),
      etag: `"0x8DC${idOf('', `e-${r.blob}`, 12)}"`,
      serverLatencyMs: 10,
      serviceType: 'blob',
      operationCount: 0,
      requestHeaderSize: 578,
      requestBodySize: read ? 0 : r.bytes,
      responseHeaderSize: 216,
      responseBodySize: read && status < 300 ? r.bytes : 0,
      contentLengthHeader: read ? 0 : r.bytes,
      ...(r.md5 ? { requestMd5: r.md5, serverMd5: r.md5 } : {}),
      tlsVersion: 'TLS 1.2',
      accessTier: 'Hot',
      ...(r.sourceUri ? { sourceUri: r.sourceUri } : {}),
    },
    uri,
    protocol: 'HTTPS',
    resourceType: 'Microsoft.Storage/storageAccounts/blobServices',
  });
}

export interface AzureChat {
  at: number;
  n: number;
  deployment: string;
  /** Entra object id of the caller, when the call was made with a token. */
  objectId?: string;
  ip: string;
  system?: string;
  prompt: string;
  response: string;
}

/** An Azure OpenAI `RequestResponse` record: who, when and sizes, no content (as documented). */
export function openAiLine(c: AzureChat): string {
  const requestLength = (c.system ?? '').length + c.prompt.length + 120;
  return JSON.stringify({
    time: new Date(c.at).toISOString().replace('Z', '0000Z'),
    resourceId: OPENAI_RESOURCE,
    category: 'RequestResponse',
    operationName: 'ChatCompletions_Create',
    durationMs: 400 + (c.n % 900),
    callerIpAddress: c.ip,
    correlationId: `${idOf('', `o-${c.n}`, 8).toLowerCase()}-0001-4c5d-8e9f-${String(c.n).padStart(12, '0')}`,
    location: 'westeurope',
    resultSignature: '200',
    resultType: 'Succeeded',
    properties: JSON.stringify({
      apiName: 'Azure OpenAI API version 2024-10-21',
      requestLength,
      responseLength: c.response.length + 300,
      objectId: c.objectId ?? '',
      streamType: 'Non-Streaming',
      modelDeploymentName: c.deployment,
      modelName: 'gpt-4o',
      modelVersion: '2024-08-06',
    }),
  });
}

/** An API Management `GatewayLlmLogs` record with the messages (the portal's gateway logs content). */
export function apimLine(c: AzureChat): string {
  const requestMessages = [
    ...(c.system ? [{ role: 'system', content: c.system }] : []),
    { role: 'user', content: c.prompt },
  ];
  return JSON.stringify({
    time: new Date(c.at).toISOString().replace('Z', '0000Z'),
    resourceId: APIM_RESOURCE,
    category: 'GatewayLlmLogs',
    operationName: 'Microsoft.ApiManagement/GatewayLlmLogs',
    correlationId: `${idOf('', `g-${c.n}`, 8).toLowerCase()}-0003-4c5d-8e9f-${String(c.n).padStart(12, '0')}`,
    location: 'westeurope',
    callerIpAddress: c.ip,
    properties: {
      deploymentName: c.deployment,
      modelName: 'gpt-4o',
      promptTokens: Math.round(requestMessages.reduce((n, m) => n + m.content.length, 0) / 4),
      completionTokens: Math.round(c.response.length / 4),
      requestMessages,
      responseMessages: [{ role: 'assistant', content: c.response }],
    },
  });
}

export interface AzureFlow {
  at: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Bytes from source to destination, and back. */
  sent: number;
  received: number;
  direction: 'I' | 'O';
}

const VNET_TARGET = `${RG}/providers/Microsoft.Network/virtualNetworks/llm-vnet`;
const WATCHER =
  '/SUBSCRIPTIONS/AAAA0A0A-BB1B-CC2C-DD3D-EEEEEE4E4E4E/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/VNETFLOWLOG';

/** A VNet flow log v4 blob: one record per minute with begin/end tuples (times in ms). */
export function vnetFlowFile(flows: readonly AzureFlow[]): string {
  const byMinute = new Map<number, AzureFlow[]>();
  for (const f of flows) {
    const m = Math.floor(f.at / 60_000);
    byMinute.set(m, [...(byMinute.get(m) ?? []), f]);
  }
  const records = [...byMinute.entries()].map(([m, fs]) => ({
    time: new Date(m * 60_000 + 52_562).toISOString().replace('Z', '5085Z'),
    flowLogVersion: 4,
    flowLogGUID: '66aa66aa-bb77-cc88-dd99-00ee00ee00ee',
    macAddress: '112233445566',
    category: 'FlowLogFlowEvent',
    flowLogResourceID: WATCHER,
    targetResourceID: VNET_TARGET,
    operationName: 'FlowLogFlowEvent',
    flowRecords: {
      flows: [
        {
          aclID: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
          flowGroups: [
            {
              rule: 'DefaultRule_AllowInternetOutBound',
              flowTuples: fs.flatMap((f) => [
                `${f.at},${f.src},${f.dst},${f.srcPort},${f.dstPort},6,${f.direction},B,NX,0,0,0,0`,
                `${f.at + 59_000},${f.src},${f.dst},${f.srcPort},${f.dstPort},6,${f.direction},E,NX,${Math.ceil(f.sent / 1400)},${f.sent},${Math.ceil(f.received / 1400)},${f.received}`,
              ]),
            },
          ],
        },
      ],
    },
  }));
  return JSON.stringify({ records });
}

/** An NSG flow log v2 blob (times in seconds). */
export function nsgFlowFile(flows: readonly AzureFlow[]): string {
  const byMinute = new Map<number, AzureFlow[]>();
  for (const f of flows) {
    const m = Math.floor(f.at / 60_000);
    byMinute.set(m, [...(byMinute.get(m) ?? []), f]);
  }
  const records = [...byMinute.entries()].map(([m, fs]) => ({
    time: new Date(m * 60_000).toISOString().replace('Z', '0000Z'),
    systemId: '66aa66aa-bb77-cc88-dd99-00ee00ee00ee',
    macAddress: '000D3AF87856',
    category: 'NetworkSecurityGroupFlowEvent',
    resourceId: `${RG}/providers/Microsoft.Network/networkSecurityGroups/inference-nsg`.toUpperCase(),
    operationName: 'NetworkSecurityGroupFlowEvents',
    properties: {
      Version: 2,
      flows: [
        {
          rule: 'DefaultRule_AllowInternetOutBound',
          flows: [
            {
              mac: '000D3AF87856',
              flowTuples: fs.flatMap((f) => {
                const s = Math.floor(f.at / 1000);
                return [
                  `${s},${f.src},${f.dst},${f.srcPort},${f.dstPort},T,${f.direction},A,B,,,,`,
                  `${s + 59},${f.src},${f.dst},${f.srcPort},${f.dstPort},T,${f.direction},A,E,${Math.ceil(f.sent / 1400)},${f.sent},${Math.ceil(f.received / 1400)},${f.received}`,
                ];
              }),
            },
          ],
        },
      ],
    },
  }));
  return JSON.stringify({ records });
}

export interface GenericCall {
  at: number;
  n: number;
  cloud: 'aws' | 'azure';
  caller: string;
  callerType?: 'service-principal' | 'managed-identity' | 'entra-user';
  endpoint: string;
  prompt: string;
  response: string;
}

/** Tourniquet's generic inference log (docs/detection.md, "Generic inference log"). */
export function genericLine(c: GenericCall): string {
  return JSON.stringify({
    time: iso(c.at),
    cloud: c.cloud,
    caller: c.caller,
    ...(c.callerType ? { callerType: c.callerType } : {}),
    endpoint: c.endpoint,
    prompt: c.prompt,
    response: c.response,
    inputTokens: Math.round(c.prompt.length / 4),
    outputTokens: Math.round(c.response.length / 4),
    requestId: `gw-${c.n}`,
  });
}
