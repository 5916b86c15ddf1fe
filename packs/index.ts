import type { CloudPack } from '../core/cloud-pack.ts';
import { formatTable } from '../core/detect/formats/index.ts';
import type { LogFormat } from '../core/detect/formats/log-format.ts';
import type { AwsAction } from './aws/actions.ts';
import type { awsFormats } from './aws/formats/index.ts';
import { awsPack } from './aws/pack.ts';
import type { AzureAction } from './azure/actions.ts';
import type { azureFormats } from './azure/formats/index.ts';
import { azurePack } from './azure/pack.ts';

/**
 * Every cloud pack, for the composition roots that serve both clouds (functions-azure/runtime.ts,
 * cli/); the AWS functions take the AWS pack alone (aws-deployment.ts), to keep the Lambda bundles small. A new cloud is a new folder here with the same files, one line in this list and one in
 * `PackActions` below.
 */
export const PACKS: readonly CloudPack[] = [awsPack, azurePack];

/** A name of the format table: each pack's formats and the generic inference log. */
export type FormatName = keyof typeof awsFormats | keyof typeof azureFormats | 'inference-jsonl';

/** Every log format of the packs, by name, with the generic inference log (the CLI's `--format`). */
export const FORMATS = formatTable(PACKS) as Readonly<Record<FormatName, LogFormat>>;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}

// Each pack's actions join core's `Action` union; core itself never imports a pack.
declare module '../core/actions.ts' {
  interface PackActions {
    aws: AwsAction;
    azure: AzureAction;
  }
}
