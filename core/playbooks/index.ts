import type { CloudPack } from '../cloud-pack.ts';
import { detectPlaybooks } from './detect.ts';
import { manualPlaybooks } from './manual.ts';
import type { Playbook } from './playbook.ts';

/**
 * The playbook table: by-hand containment, each pack's rows, then the detectors'. First matching
 * row wins; the groups match different alert sources, so their order does not decide anything.
 */
export function playbookTable(packs: readonly CloudPack[]): readonly Playbook[] {
  return [...manualPlaybooks, ...packs.flatMap((p) => p.playbooks), ...detectPlaybooks];
}
