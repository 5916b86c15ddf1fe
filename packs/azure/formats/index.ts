import type { LogFormat } from '../../../core/detect/formats/log-format.ts';
import { azureFlowLogFormat } from './azure-flow-log.ts';
import { azureOpenAiLogFormat } from './azure-openai-log.ts';
import { azureStorageLogFormat } from './azure-storage-log.ts';

/** The Azure log formats by name (`tourniquet scan --format <name>`). */
export const azureFormats = {
  'azure-storage': azureStorageLogFormat,
  'azure-flow': azureFlowLogFormat,
  'azure-openai': azureOpenAiLogFormat,
} as const satisfies Record<string, LogFormat>;
