import { bedrockInvocationFormat } from '../../../packs/aws/formats/bedrock-invocation.ts';
import { cloudTrailFormat } from '../../../packs/aws/formats/cloudtrail.ts';
import { s3AccessLogFormat } from '../../../packs/aws/formats/s3-access-log.ts';
import { vpcFlowLogFormat } from '../../../packs/aws/formats/vpc-flow-log.ts';
import { azureFlowLogFormat } from '../../../packs/azure/formats/azure-flow-log.ts';
import { azureOpenAiLogFormat } from '../../../packs/azure/formats/azure-openai-log.ts';
import { azureStorageLogFormat } from '../../../packs/azure/formats/azure-storage-log.ts';
import { genericInferenceFormat } from './generic-inference.ts';
import type { LogFormat } from './log-format.ts';

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
