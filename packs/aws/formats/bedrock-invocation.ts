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
import type { InferenceRecord } from '../../../core/detect/records.ts';
import { arnPrincipal } from './aws-identity.ts';

/**
 * Amazon Bedrock model invocation logs delivered to S3 (Bedrock User Guide, "Monitor model
 * invocation using CloudWatch Logs and Amazon S3"): one JSON object per line with `schemaType:
 * "ModelInvocationLog"`, `identity.arn`, `modelId`, `input.inputBodyJson`, `output.outputBodyJson`
 * and token counts.
 */
export const bedrockInvocationFormat: LogFormat = {
  name: 'bedrock',
  cloud: 'aws',
  framing: 'lines',
  sniff: ({ firstObject }) => firstObject?.schemaType === 'ModelInvocationLog',
  documentation: 'https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html',
  open: () => (line) => {
    const e = parseObject(line);
    if (e.schemaType !== 'ModelInvocationLog') malformed('not a ModelInvocationLog record');
    const account = str(e.accountId) ?? malformed('no accountId');
    const arn = str(obj(e.identity)?.arn) ?? malformed('no identity.arn');
    const caller = arnPrincipal(arn) ?? {
      id: arn,
      kind: 'unknown' as const,
      account,
      aliases: [],
      certain: false,
    };
    const input = obj(e.input) ?? {};
    const output = obj(e.output) ?? {};
    const prompt = promptText(input.inputBodyJson);
    const response = responseText(output.outputBodyJson);
    const inputTokens = num(input.inputTokenCount);
    const outputTokens = num(output.outputTokenCount);
    const record: InferenceRecord = {
      kind: 'inference',
      cloud: 'aws',
      account,
      region: str(e.region),
      at: time(e.timestamp),
      caller,
      endpoint: str(e.modelId) ?? 'unknown-model',
      prompt: prompt,
      response: response,
      inputTokens: inputTokens !== undefined ? inputTokens : undefined,
      outputTokens: outputTokens !== undefined ? outputTokens : undefined,
      sourceId: str(e.requestId) ?? '',
    };
    return [record];
  },
};
