import type { PostureCheck } from '../../../core/posture/check.ts';
import { bedrockGuardrails } from './checks/bedrock-guardrails.ts';
import { bedrockInvocationLogging } from './checks/bedrock-invocation-logging.ts';
import { cloudtrailDataEvents } from './checks/cloudtrail-data-events.ts';
import { eventBridgeRules } from './checks/eventbridge-rules.ts';
import { evidenceObjectLock } from './checks/evidence-object-lock.ts';
import { flowLogs } from './checks/flow-logs.ts';
import { guardDuty } from './checks/guardduty.ts';
import { s3AccessLogging } from './checks/s3-access-logging.ts';
import { s3BlockPublicAccess } from './checks/s3-block-public-access.ts';
import { s3ObjectLock } from './checks/s3-object-lock.ts';
import { s3Versioning } from './checks/s3-versioning.ts';

/** The AWS posture checks, in the order the table lists them. */
export const awsPostureChecks: readonly PostureCheck[] = [
  cloudtrailDataEvents,
  s3AccessLogging,
  s3Versioning,
  s3ObjectLock,
  s3BlockPublicAccess,
  flowLogs,
  bedrockInvocationLogging,
  bedrockGuardrails,
  guardDuty,
  evidenceObjectLock,
  eventBridgeRules,
];
