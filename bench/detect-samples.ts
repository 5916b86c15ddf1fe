import type { FormatName } from '../packs/index.ts';

/**
 * Synthetic log records for the detection benchmark, in the documented shapes of the fixtures
 * (test/fixtures/logs): varied principals, keys, addresses and prompts so no cache flatters a rule.
 * Each format writes one record per line; the single-document formats wrap the lines in their
 * `{"Records":[` / `{"records":[` array.
 */
export interface Sample {
  head: string;
  line: (i: number) => string;
  /** Between lines (`,` inside a JSON array). */
  sep: string;
  tail: string;
}

const ACCOUNT = '111122223333';
const SUB = 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e';
const T0 = Date.UTC(2026, 10, 25, 10);
const WORDS =
  'invoice refund shipping password warranty subscription delivery discount account order label card points billing receipt policy status change explain summarize'.split(
    ' ',
  );

const ip = (i: number) => `${(i * 7) % 223}.${(i * 13) % 251}.${(i * 17) % 251}.${(i % 250) + 1}`;
const iso = (i: number) => new Date(T0 + (i % 3_600_000)).toISOString();
const words = (i: number, n: number) =>
  Array.from({ length: n }, (_, k) => WORDS[(i * 31 + k * 7) % WORDS.length]).join(' ');

export const SAMPLES: Record<FormatName, Sample> = {
  cloudtrail: {
    head: '{"Records":[\n',
    sep: ',\n',
    tail: '\n]}\n',
    line: (i) =>
      JSON.stringify({
        eventVersion: '1.09',
        userIdentity: {
          type: 'AssumedRole',
          principalId: `AROAEXAMPLE:s${i % 500}`,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/role-${i % 50}/s${i % 500}`,
          accountId: ACCOUNT,
          accessKeyId: `ASIAEXAMPLE${String(i % 500).padStart(9, '0')}`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: 'AROAEXAMPLE',
              arn: `arn:aws:iam::${ACCOUNT}:role/role-${i % 50}`,
              accountId: ACCOUNT,
              userName: `role-${i % 50}`,
            },
          },
        },
        eventTime: iso(i),
        eventSource: 's3.amazonaws.com',
        eventName: i % 5 ? 'GetObject' : 'PutObject',
        awsRegion: 'us-east-1',
        sourceIPAddress: i % 3 ? `10.20.${i % 250}.${i % 200}` : ip(i),
        userAgent: '[aws-cli/2.15.0]',
        requestParameters: {
          bucketName: i % 2 ? 'models-prod' : 'training-data',
          Host: 'models-prod.s3.us-east-1.amazonaws.com',
          key: `weights/model-${String(i % 400).padStart(5, '0')}-of-00400.safetensors`,
        },
        responseElements: null,
        additionalEventData: {
          SignatureVersion: 'SigV4',
          bytesTransferredIn: 0,
          AuthenticationMethod: 'AuthHeader',
          bytesTransferredOut: 1_000_000 + (i % 1000),
        },
        requestID: `REQ${i}`,
        eventID: `0a1b2c3d-${String(i).padStart(12, '0')}`,
        readOnly: true,
        eventType: 'AwsApiCall',
        managementEvent: false,
        recipientAccountId: ACCOUNT,
        vpcEndpointId: i % 3 ? 'vpce-0a1b2c3d4e5f60718' : undefined,
        eventCategory: 'Data',
      }),
  },
  's3-access': {
    head: '',
    sep: '\n',
    tail: '\n',
    line: (i) =>
      `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be models-prod [25/Nov/2026:10:${String((i >> 6) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] ${ip(i)} arn:aws:iam::${ACCOUNT}:user/u${i % 300} ${i.toString(16).toUpperCase()}EXAMPLE REST.GET.OBJECT weights/model-${String(i % 400).padStart(5, '0')}-of-00400.safetensors "GET /models-prod/weights/model-${i % 400}.safetensors HTTP/1.1" 200 - ${1_000_000 + i} 4294967296 51234 28 "-" "aws-cli/2.15.0" - Ke1bUcazaN1jWuUlPJaxF64cQVpUEhoZKEG/hmy/gijN/I1DeWqDfFvnpybfEseEME/u7ME1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader models-prod.s3.us-east-1.amazonaws.com TLSV1.2 - -`,
  },
  'vpc-flow': {
    head: 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n',
    sep: '\n',
    tail: '\n',
    line: (i) =>
      `2 ${ACCOUNT} eni-0f1e2d3c4b5a69788 10.20.1.15 ${ip(i % 3000)} 443 ${32768 + (i % 28000)} 6 ${10 + (i % 90)} ${5000 + ((i * 7919) % 60000)} ${1764064800 + (i % 3600)} ${1764064860 + (i % 3600)} ACCEPT OK`,
  },
  bedrock: {
    head: '',
    sep: '\n',
    tail: '\n',
    line: (i) =>
      JSON.stringify({
        schemaType: 'ModelInvocationLog',
        schemaVersion: '1.0',
        timestamp: iso(i),
        accountId: ACCOUNT,
        identity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/caller-${i % 2000}/s` },
        region: 'us-east-1',
        requestId: `req-${i}`,
        operation: 'Converse',
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        input: {
          inputContentType: 'application/json',
          inputBodyJson: {
            messages: [{ role: 'user', content: [{ text: `Can you ${words(i, 24)} for order ${i}?` }] }],
          },
          inputTokenCount: 40,
        },
        output: {
          outputContentType: 'application/json',
          outputBodyJson: {
            output: { message: { role: 'assistant', content: [{ text: `Sure: ${words(i + 1, 48)}.` }] } },
            stopReason: 'end_turn',
          },
          outputTokenCount: 70,
        },
      }),
  },
  'azure-storage': {
    head: '',
    sep: '\n',
    tail: '\n',
    line: (i) =>
      JSON.stringify({
        time: iso(i),
        resourceId: `/subscriptions/${SUB}/resourceGroups/llm-rg/providers/Microsoft.Storage/storageAccounts/llmweights/blobServices/default`,
        category: 'StorageRead',
        operationName: 'GetBlob',
        statusCode: 200,
        callerIpAddress: `${ip(i)}:5${i % 9999}`,
        correlationId: `corr-${i}`,
        identity: {
          type: 'OAuth',
          tokenHash: 'B3CC9D5C',
          requester: {
            objectId: `a4711f3a-254f-4cfb-8a2d-${String(i % 900).padStart(12, '0')}`,
            tenantId: SUB,
          },
          authorization: [
            {
              principals: [
                {
                  id: `a4711f3a-254f-4cfb-8a2d-${String(i % 900).padStart(12, '0')}`,
                  type: 'ServicePrincipal',
                },
              ],
            },
          ],
        },
        properties: {
          accountName: 'llmweights',
          responseBodySize: 1_000_000 + i,
          requestBodySize: 0,
          etag: '"0x8DC"',
        },
        uri: `https://llmweights.blob.core.windows.net/models/llama/model-${String(i % 400).padStart(5, '0')}.safetensors`,
      }),
  },
  'azure-flow': {
    head: '{"records":[\n',
    sep: ',\n',
    tail: '\n]}\n',
    line: (i) =>
      JSON.stringify({
        time: iso(i),
        flowLogVersion: 4,
        category: 'FlowLogFlowEvent',
        targetResourceID: `/subscriptions/${SUB}/resourceGroups/llm-rg/providers/Microsoft.Network/virtualNetworks/llm-vnet`,
        flowRecords: {
          flows: [
            {
              aclID: 'acl',
              flowGroups: [
                {
                  rule: 'DefaultRule_AllowInternetOutBound',
                  flowTuples: Array.from(
                    { length: 8 },
                    (_, k) =>
                      `${1764064800000 + i * 10 + k},10.30.1.15,${ip(i * 8 + k)},443,${32768 + k},6,O,E,NX,3,${700 + ((i * k) % 9000)},2,1580`,
                  ),
                },
              ],
            },
          ],
        },
      }),
  },
  'azure-openai': {
    head: '',
    sep: '\n',
    tail: '\n',
    line: (i) =>
      JSON.stringify({
        time: iso(i),
        resourceId: `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/LLM-RG/PROVIDERS/MICROSOFT.APIMANAGEMENT/SERVICE/CONTOSO-APIM`,
        category: 'GatewayLlmLogs',
        correlationId: `c-${i}`,
        callerIpAddress: ip(i % 2000),
        properties: {
          deploymentName: 'gpt-4o-prod',
          promptTokens: 40,
          completionTokens: 70,
          requestMessages: [{ role: 'user', content: `Please ${words(i, 24)} for ticket ${i}.` }],
          responseMessages: [{ role: 'assistant', content: words(i + 3, 48) }],
        },
      }),
  },
  'inference-jsonl': {
    head: '',
    sep: '\n',
    tail: '\n',
    line: (i) =>
      JSON.stringify({
        time: iso(i),
        cloud: 'aws',
        account: ACCOUNT,
        caller: `arn:aws:iam::${ACCOUNT}:user/u${i % 2000}`,
        endpoint: 'chat-prod',
        prompt: `How do I ${words(i, 24)} (case ${i})?`,
        response: words(i + 5, 48),
        inputTokens: 40,
        outputTokens: 70,
        requestId: `r-${i}`,
      }),
  },
};
