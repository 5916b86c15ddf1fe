import { azureFlowLogFormat } from './azure-flow-log.ts';
import { azureOpenAiLogFormat } from './azure-openai-log.ts';
import { azureStorageLogFormat } from './azure-storage-log.ts';
import { bedrockInvocationFormat } from './bedrock-invocation.ts';
import { cloudTrailFormat } from './cloudtrail.ts';
import { genericInferenceFormat } from './generic-inference.ts';
import type { LogFormat } from './log-format.ts';
import { s3AccessLogFormat } from './s3-access-log.ts';
import { vpcFlowLogFormat } from './vpc-flow-log.ts';

/** Every input format by name (`tourniquet scan --format <name>`). */
export const FORMATS = {
  cloudtrail: cloudTrailFormat,
  's3-access': s3AccessLogFormat,
  'vpc-flow': vpcFlowLogFormat,
  bedrock: bedrockInvocationFormat,
  'azure-storage': azureStorageLogFormat,
  'azure-flow': azureFlowLogFormat,
  'azure-openai': azureOpenAiLogFormat,
  'inference-jsonl': genericInferenceFormat,
} as const satisfies Record<string, LogFormat>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
