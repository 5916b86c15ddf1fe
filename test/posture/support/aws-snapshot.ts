import type { PostureSnapshot } from '../../../core/posture/snapshot.ts';
import { ACCOUNT } from '../../support/config.ts';

export const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-data-events`;
export const LOG_BUCKET = `central-logs-${ACCOUNT}`;
export const ENI = 'eni-0f1e2d3c4b5a69788';
export const SUBNET = 'subnet-0a1b2c3d4e5f60718';
export const VPC = 'vpc-0123456789abcdef0';
export const DETECTOR = '12abc34d567e8fa901bc2d34e56789f0';
export const RULE_GD = 'tourniquet-prod-contain-rule-1';

/** A VPC flow log format (`${field} …`, the VPC User Guide's syntax) from its field names. */
export const flowFormat = (fields: string) =>
  fields
    .split(' ')
    .map((f) => `\${${f}}`)
    .join(' ');

const trail = {
  Name: 'org-data-events',
  S3BucketName: LOG_BUCKET,
  S3KeyPrefix: 'cloudtrail',
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: 'us-east-1',
  TrailARN: TRAIL,
  LogFileValidationEnabled: true,
  HasCustomEventSelectors: true,
  HasInsightSelectors: false,
  IsOrganizationTrail: false,
};

const rule = (n: number, source: string) => ({
  Name: `tourniquet-prod-contain-rule-${n}`,
  Arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/tourniquet-prod-contain-rule-${n}`,
  EventPattern: JSON.stringify({ source: [source] }),
  State: 'ENABLED',
  EventBusName: 'default',
});
const target = (n: number) => ({
  Targets: [
    {
      Id: `tourniquet-prod-contain-rule-${n}-target`,
      Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:tourniquet-prod-contain`,
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:tourniquet-prod-dlq` },
    },
  ],
});
const SOURCES = ['aws.guardduty', 'aws.securityhub', 'aws.s3', 'aws.iam', 'aws.macie'];

/**
 * A snapshot of an account where every AWS check passes, in the AWS SDK v3 output shapes of each
 * operation (API References: CloudTrail, S3, S3 Control, EC2, Bedrock, GuardDuty, EventBridge), as
 * `tourniquet posture --save` writes them: `$metadata` dropped, dates as ISO text, pages as arrays.
 * models-prod is in us-east-1, training-data in eu-west-1 (where the multi-region trail shows as
 * a shadow trail). Tests change one answer at a time.
 */
export function awsSnapshot(): PostureSnapshot {
  const bucket = (extra: Record<string, unknown>) => ({ 'models-prod': extra, 'training-data': extra });
  return {
    tourniquetPosture: 1,
    takenAt: '2026-03-02T06:00:00.000Z',
    scope: { aws: { account: ACCOUNT, regions: ['us-east-1'], stack: 'tourniquet-prod' } },
    aws: {
      's3:GetBucketLocation': { 'models-prod': {}, 'training-data': { LocationConstraint: 'eu-west-1' } },
      'cloudtrail:DescribeTrails': {
        'us-east-1': { trailList: [trail] },
        'eu-west-1': { trailList: [trail] },
      },
      'cloudtrail:GetTrailStatus': {
        [TRAIL]: {
          IsLogging: true,
          LatestDeliveryTime: '2026-03-02T05:58:12.000Z',
          StartLoggingTime: '2025-06-01T09:00:00.000Z',
          LatestDeliveryAttemptTime: '2026-03-02T05:58:12Z',
          LatestDeliveryAttemptSucceeded: '2026-03-02T05:58:12Z',
        },
      },
      'cloudtrail:GetEventSelectors': {
        [TRAIL]: {
          TrailARN: TRAIL,
          AdvancedEventSelectors: [
            {
              Name: 'Management events',
              FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
            },
            {
              Name: 'Model and training data',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                {
                  Field: 'resources.ARN',
                  StartsWith: ['arn:aws:s3:::models-prod/', 'arn:aws:s3:::training-data/'],
                },
              ],
            },
          ],
        },
      },
      's3:GetBucketLogging': bucket({
        LoggingEnabled: { TargetBucket: LOG_BUCKET, TargetPrefix: 's3-access/' },
      }),
      's3:GetBucketVersioning': bucket({ Status: 'Enabled' }),
      's3:GetObjectLockConfiguration': {
        'models-prod': { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } },
        'training-data': { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } },
        [`ir-evidence-${ACCOUNT}`]: {
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
          },
        },
      },
      's3:GetPublicAccessBlock': {
        'models-prod': {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        },
        'training-data': {
          $error: {
            code: 'NoSuchPublicAccessBlockConfiguration',
            status: 404,
            message: 'The public access block configuration was not found',
          },
        },
      },
      's3control:GetPublicAccessBlock': {
        [ACCOUNT]: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        },
      },
      's3:GetBucketPolicyStatus': bucket({ PolicyStatus: { IsPublic: false } }),
      'ec2:DescribeNetworkInterfaces': {
        [`us-east-1/${ENI}`]: [
          {
            NetworkInterfaces: [
              {
                NetworkInterfaceId: ENI,
                SubnetId: SUBNET,
                VpcId: VPC,
                InterfaceType: 'vpc_endpoint',
                PrivateIpAddress: '10.20.1.15',
                Status: 'in-use',
              },
            ],
          },
        ],
        'us-east-1/10.20.1.15': [
          {
            NetworkInterfaces: [
              { NetworkInterfaceId: ENI, SubnetId: SUBNET, VpcId: VPC, PrivateIpAddress: '10.20.1.15' },
            ],
          },
        ],
      },
      'ec2:DescribeFlowLogs': {
        'us-east-1': [
          {
            FlowLogs: [
              {
                CreationTime: '2025-06-01T09:00:00.000Z',
                DeliverLogsStatus: 'SUCCESS',
                FlowLogId: 'fl-0a1b2c3d4e5f67890',
                FlowLogStatus: 'ACTIVE',
                ResourceId: VPC,
                TrafficType: 'ALL',
                LogDestinationType: 's3',
                LogDestination: `arn:aws:s3:::${LOG_BUCKET}/vpc-flow/`,
                LogFormat: flowFormat(
                  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
                ),
                MaxAggregationInterval: 600,
              },
            ],
          },
        ],
      },
      'bedrock:GetModelInvocationLoggingConfiguration': {
        'us-east-1': {
          loggingConfig: {
            s3Config: { bucketName: LOG_BUCKET, keyPrefix: 'bedrock/' },
            textDataDeliveryEnabled: true,
            imageDataDeliveryEnabled: false,
            embeddingDataDeliveryEnabled: false,
          },
        },
      },
      'bedrock:ListGuardrails': {
        'us-east-1': [
          {
            guardrails: [
              {
                id: 'gr1a2b3c4d5e',
                arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/gr1a2b3c4d5e`,
                status: 'READY',
                name: 'prod-baseline',
                version: 'DRAFT',
                createdAt: '2025-06-01T09:00:00.000Z',
                updatedAt: '2025-06-01T09:00:00.000Z',
              },
            ],
          },
        ],
      },
      'bedrock:ListEnforcedGuardrailsConfiguration': {
        'us-east-1': [
          {
            guardrailsConfig: [
              {
                configId: 'cfg-1',
                guardrailArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/gr1a2b3c4d5e`,
                guardrailId: 'gr1a2b3c4d5e',
                guardrailVersion: '3',
                createdAt: '2025-06-02T09:00:00.000Z',
                createdBy: `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
              },
            ],
          },
        ],
      },
      'guardduty:ListDetectors': { 'us-east-1': [{ DetectorIds: [DETECTOR] }] },
      'guardduty:GetDetector': {
        [`us-east-1/${DETECTOR}`]: {
          CreatedAt: '2025-06-01T09:00:00.000Z',
          FindingPublishingFrequency: 'FIFTEEN_MINUTES',
          ServiceRole: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
          Status: 'ENABLED',
          UpdatedAt: '2026-01-10T09:00:00.000Z',
          Features: [
            { Name: 'CLOUD_TRAIL', Status: 'ENABLED', UpdatedAt: '2025-06-01T09:00:00.000Z' },
            { Name: 'S3_DATA_EVENTS', Status: 'ENABLED', UpdatedAt: '2025-06-01T09:00:00.000Z' },
            { Name: 'AI_PROTECTION', Status: 'ENABLED', UpdatedAt: '2026-01-10T09:00:00.000Z' },
          ],
        },
      },
      'events:ListRules': { 'us-east-1': [{ Rules: SOURCES.map((src, i) => rule(i + 1, src)) }] },
      'events:ListTargetsByRule': Object.fromEntries(
        SOURCES.map((_, i) => [`us-east-1/tourniquet-prod-contain-rule-${i + 1}`, [target(i + 1)]]),
      ),
    },
  };
}
