import type { CloudPack } from '../cloud-pack.ts';
import { detectPlaybooks } from './detect.ts';
import { manualPlaybooks } from './manual.ts';
import type { Playbook } from './playbook.ts';
import { posturePlaybooks } from './posture.ts';

/**
 * The playbook table: by-hand containment, each pack's rows, then the detectors'. First matching
 * row wins; the groups match different alert sources, so their order does not decide anything.
 * The posture rows (checks that broke since the previous run) are cloud-neutral, like the detectors'.
 */
export function playbookTable(packs: readonly CloudPack[]): readonly Playbook[] {
  return [...manualPlaybooks, ...packs.flatMap((p) => p.playbooks), ...detectPlaybooks, ...posturePlaybooks];
}
