import type { CloudPack } from '../core/cloud-pack.ts';
import { awsPack } from './aws/pack.ts';

/**
 * The packs an AWS deployment runs with (functions-aws/): the AWS pack alone. Its functions only
 * ever see AWS events, targets and journals, so the Azure planner, playbooks and log formats would
 * be dead weight in every Lambda bundle (npm run bench:bundle); every pack, for the CLI, is in
 * index.ts. The functions that read no logs take the same pack without its formats
 * (AWS_RESPONDER_PACKS, aws/responder.ts: a module of its own, so that importing it leaves the
 * formats out of the bundle).
 */
export const AWS_PACKS: readonly CloudPack[] = [awsPack];
