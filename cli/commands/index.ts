import type { Command } from '../command.ts';
import { containCommand } from './contain.ts';
import { grantCommand } from './grant.ts';
import { planCommand } from './plan.ts';
import { postureCommand } from './posture.ts';
import { releaseCommand } from './release.ts';
import { scanCommand } from './scan.ts';

/** Every `tourniquet` command, in the order --help lists them. */
export const commands: readonly Command[] = [
  planCommand,
  containCommand,
  releaseCommand,
  scanCommand,
  postureCommand,
  grantCommand,
];
