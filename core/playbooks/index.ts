import { awsPlaybooks } from './aws.ts';
import { azurePlaybooks } from './azure.ts';
import { detectPlaybooks } from './detect.ts';
import { manualPlaybooks } from './manual.ts';
import type { Playbook } from './playbook.ts';
import { posturePlaybooks } from './posture.ts';

/** The playbook table: first matching row wins. */
export const playbooks: readonly Playbook[] = [
  ...manualPlaybooks,
  ...awsPlaybooks,
  ...detectPlaybooks,
  ...azurePlaybooks,
  ...posturePlaybooks,
];
