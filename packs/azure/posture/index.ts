import type { PostureCheck } from '../../../core/posture/check.ts';
import { blobDataProtection } from './checks/blob-data-protection.ts';
import { blobDiagnostics } from './checks/blob-diagnostics.ts';
import { defender } from './checks/defender.ts';
import { eventGridSubscriptions } from './checks/event-grid-subscriptions.ts';
import { evidenceImmutability } from './checks/evidence-immutability.ts';
import { flowLogs } from './checks/flow-logs.ts';
import { openAiDiagnostics } from './checks/openai-diagnostics.ts';
import { publicAccess } from './checks/public-access.ts';
import { sharedKeyAccess } from './checks/shared-key-access.ts';

/** The Azure posture checks, in the order the table lists them (the AWS ones' twins where they have one). */
export const azurePostureChecks: readonly PostureCheck[] = [
  blobDiagnostics,
  blobDataProtection,
  sharedKeyAccess,
  publicAccess,
  flowLogs,
  openAiDiagnostics,
  defender,
  evidenceImmutability,
  eventGridSubscriptions,
];
