import { awsPlaybooks } from '../../packs/aws/playbooks.ts';
import { azurePlaybooks } from '../../packs/azure/playbooks.ts';
import { detectPlaybooks } from './detect.ts';
import { manualPlaybooks } from './manual.ts';
import type { Playbook } from './playbook.ts';

/** The playbook table: first matching row wins. */
export const playbooks: readonly Playbook[] = [
  ...manualPlaybooks,
  ...awsPlaybooks,
  ...detectPlaybooks,
  ...azurePlaybooks,
];
