import type { CloudPack } from '../core/cloud-pack.ts';
import type { AwsAction } from './aws/actions.ts';
import { awsPack } from './aws/pack.ts';
import type { AzureAction } from './azure/actions.ts';
import { azurePack } from './azure/pack.ts';

/**
 * Every cloud pack, for the composition roots (functions-aws/wiring.ts, functions-azure/runtime.ts,
 * cli/). A new cloud is a new folder here with the same files, one line in this list and one in
 * `PackActions` below.
 */
export const PACKS: readonly CloudPack[] = [awsPack, azurePack];

// Each pack's actions join core's `Action` union; core itself never imports a pack.
declare module '../core/actions.ts' {
  interface PackActions {
    aws: AwsAction;
    azure: AzureAction;
  }
}
