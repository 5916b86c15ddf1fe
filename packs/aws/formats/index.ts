import type { LogFormat } from '../../../core/detect/formats/log-format.ts';
import { bedrockInvocationFormat } from './bedrock-invocation.ts';
import { cloudTrailFormat } from './cloudtrail.ts';
import { s3AccessLogFormat } from './s3-access-log.ts';
import { vpcFlowLogFormat } from './vpc-flow-log.ts';

/** The AWS log formats by name (`tourniquet scan --format <name>`). */
export const awsFormats = {
  cloudtrail: cloudTrailFormat,
  's3-access': s3AccessLogFormat,
  'vpc-flow': vpcFlowLogFormat,
  bedrock: bedrockInvocationFormat,
} as const satisfies Record<string, LogFormat>;
