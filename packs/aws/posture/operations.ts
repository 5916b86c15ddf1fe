/**
 * Every AWS read a posture check or the identity analysis may make, with the IAM actions it needs
 * (the names differ where S3 says so: `GetObjectLockConfiguration` is authorized by
 * `s3:GetBucketObjectLockConfiguration`). `paged` names the list field of operations that page:
 * the snapshot keeps each page. The collector in functions-aws implements exactly these (the
 * compiler checks it), and the posture role grants exactly these permissions (test/meta).
 */
export const AWS_POSTURE_OPERATIONS = {
  's3:GetBucketLocation': { permissions: ['s3:GetBucketLocation'] },
  's3:GetBucketLogging': { permissions: ['s3:GetBucketLogging'] },
  's3:GetBucketVersioning': { permissions: ['s3:GetBucketVersioning'] },
  's3:GetObjectLockConfiguration': { permissions: ['s3:GetBucketObjectLockConfiguration'] },
  's3:GetPublicAccessBlock': { permissions: ['s3:GetBucketPublicAccessBlock'] },
  's3:GetBucketPolicyStatus': { permissions: ['s3:GetBucketPolicyStatus'] },
  's3:GetBucketPolicy': { permissions: ['s3:GetBucketPolicy'] },
  's3control:GetPublicAccessBlock': { permissions: ['s3:GetAccountPublicAccessBlock'] },
  'cloudtrail:DescribeTrails': { permissions: ['cloudtrail:DescribeTrails'] },
  'cloudtrail:GetTrailStatus': { permissions: ['cloudtrail:GetTrailStatus'] },
  'cloudtrail:GetEventSelectors': { permissions: ['cloudtrail:GetEventSelectors'] },
  'ec2:DescribeNetworkInterfaces': {
    permissions: ['ec2:DescribeNetworkInterfaces'],
    paged: 'NetworkInterfaces',
  },
  'ec2:DescribeFlowLogs': { permissions: ['ec2:DescribeFlowLogs'], paged: 'FlowLogs' },
  'bedrock:GetModelInvocationLoggingConfiguration': {
    permissions: ['bedrock:GetModelInvocationLoggingConfiguration'],
  },
  'bedrock:ListGuardrails': { permissions: ['bedrock:ListGuardrails'], paged: 'guardrails' },
  'bedrock:ListEnforcedGuardrailsConfiguration': {
    permissions: ['bedrock:ListEnforcedGuardrailsConfiguration'],
    paged: 'guardrailsConfig',
  },
  'guardduty:ListDetectors': { permissions: ['guardduty:ListDetectors'], paged: 'DetectorIds' },
  'guardduty:GetDetector': { permissions: ['guardduty:GetDetector'] },
  'events:ListRules': { permissions: ['events:ListRules'], paged: 'Rules' },
  'events:ListTargetsByRule': { permissions: ['events:ListTargetsByRule'], paged: 'Targets' },
  'iam:GetAccountAuthorizationDetails': {
    permissions: ['iam:GetAccountAuthorizationDetails'],
    paged: 'RoleDetailList',
  },
  'iam:GetServiceLastAccessedDetails': {
    // The job is started with Generate…, then read until it completes; both are needed.
    permissions: ['iam:GenerateServiceLastAccessedDetails', 'iam:GetServiceLastAccessedDetails'],
  },
} as const satisfies Record<string, { permissions: readonly string[]; paged?: string }>;

export type AwsPostureOperation = keyof typeof AWS_POSTURE_OPERATIONS;

/** A read of one of the operations above, under its resource key. */
export function awsRead(op: AwsPostureOperation, key: string, input: object, region?: string) {
  return { op, key, input, ...(region ? { region } : {}) };
}
