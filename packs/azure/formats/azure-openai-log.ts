import { promptText, responseText } from '../../../core/detect/formats/inference-text.ts';
import {
  type LogFormat,
  malformed,
  num,
  obj,
  parseObject,
  str,
  time,
} from '../../../core/detect/formats/log-format.ts';
import { entraPrincipal, ipPrincipal, stripPort } from '../../../core/detect/principals.ts';
import type { InferenceRecord } from '../../../core/detect/records.ts';
import { isGuid } from '../../../core/names.ts';
import { subscriptionOf } from './azure-ids.ts';

/**
 * Azure OpenAI / Azure AI model inference diagnostic logs archived to a storage account: one JSON
 * record per line, category `RequestResponse` (Microsoft.CognitiveServices/accounts resource logs;
 * `properties` may be an object or a JSON string with `objectId`, `modelDeploymentName`,
 * `requestLength`, `responseLength`). These logs carry no prompt text, so only the rate rule sees
 * them; API Management `GatewayLlmLogs` records (`requestMessages`/`responseMessages`) carry content
 * and feed every inference rule.
 */
export const azureOpenAiLogFormat: LogFormat = {
  name: 'azure-openai',
  cloud: 'azure',
  framing: 'lines',
  sniff: ({ firstObject: line }) =>
    line?.category === 'RequestResponse' || line?.category === 'GatewayLlmLogs',
  documentation: 'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/monitor-openai',
  open: () => (line) => {
    const e = parseObject(line);
    const category = str(e.category) ?? malformed('no category');
    if (category !== 'RequestResponse' && category !== 'GatewayLlmLogs') return [];
    const resourceId = str(e.resourceId) ?? malformed('no resourceId');
    const account = subscriptionOf(resourceId) ?? malformed('no subscription in resourceId');
    const props = properties(e.properties);
    const claims = obj(obj(e.identity)?.claims) ?? {};
    const objectId =
      str(props.objectId) ??
      str(claims.oid) ??
      str(claims['http://schemas.microsoft.com/identity/claims/objectidentifier']);
    const ip = stripPort(str(e.callerIpAddress) ?? '');
    const caller =
      objectId && isGuid(objectId)
        ? entraPrincipal(objectId, str(claims.tid) ?? account)
        : ip
          ? ipPrincipal(ip, account)
          : malformed('no caller: neither objectId nor callerIpAddress');
    const prompt =
      props.requestMessages !== undefined ? promptText({ messages: props.requestMessages }) : undefined;
    const response = props.responseMessages !== undefined ? responseText(props.responseMessages) : undefined;
    const inputTokens = num(props.promptTokens);
    const outputTokens = num(props.completionTokens);
    const record: InferenceRecord = {
      kind: 'inference',
      cloud: 'azure',
      account,
      region: str(e.location),
      at: time(e.time),
      caller,
      endpoint: `${resourceId}/deployments/${str(props.modelDeploymentName) ?? str(props.deploymentName) ?? 'unknown'}`,
      prompt: prompt,
      response: response,
      inputTokens: inputTokens !== undefined ? inputTokens : undefined,
      outputTokens: outputTokens !== undefined ? outputTokens : undefined,
      sourceId: str(e.correlationId) ?? str(props.requestId) ?? '',
    };
    return [record];
  },
};

function properties(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') {
    try {
      return obj(JSON.parse(v)) ?? {};
    } catch {
      malformed('properties is not JSON');
    }
  }
  return obj(v) ?? {};
}
