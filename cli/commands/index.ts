import type { Command } from '../command.ts';
import { containCommand } from './contain.ts';
import { exerciseCommand } from './exercise.ts';
import { grantCommand } from './grant.ts';
import { incidentsCommand } from './incidents.ts';
import { planCommand } from './plan.ts';
import { postureCommand } from './posture.ts';
import { releaseCommand } from './release.ts';
import { reportCommand } from './report.ts';
import { scanCommand } from './scan.ts';
import { verifyCommand } from './verify.ts';

/** Every `tourniquet` command, in the order --help lists them. */
export const commands: readonly Command[] = [
  planCommand,
  containCommand,
  releaseCommand,
  scanCommand,
  postureCommand,
  grantCommand,
  incidentsCommand,
  reportCommand,
  verifyCommand,
  exerciseCommand,
];
