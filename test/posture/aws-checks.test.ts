import { describe, expect, it } from 'vitest';
import type { Config } from '../../core/config.ts';
import { evaluatePosture } from '../../core/posture/evaluate.ts';
import type { PostureSnapshot } from '../../core/posture/snapshot.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import {
  awsSnapshot,
  DETECTOR,
  ENI,
  flowFormat,
  LOG_BUCKET,
  SUBNET,
  TRAIL,
  VPC,
} from './support/aws-snapshot.ts';

const config = (detect: Record<string, unknown> = {}): Config =>
  awsConfig({
    aws: {
      ...awsConfig().aws,
      logBuckets: [LOG_BUCKET],
    },
    detect: { inferenceEndpoints: [ENI, '10.20.1.15'], ...detect },
  });

type Answers = Record<string, Record<string, unknown>>;
/** The baseline snapshot with some answers replaced (`undefined` removes one). */
function snapshotWith(change: (aws: Answers) => void): PostureSnapshot {
  const snapshot = awsSnapshot();
  change(snapshot.aws as Answers);
  return snapshot;
}
const rowOf = (snapshot: PostureSnapshot, check: string, subject: string, cfg = config()) => {
  const row = evaluatePosture(awsPostureChecks, snapshot, cfg).rows.find(
    (r) => r.check === check && r.subject.id === subject,
  );
  if (!row) throw new Error(`no row ${check} ${subject}`);
  return row;
};
const selectors = (aws: Answers, value: unknown) => {
  (aws['cloudtrail:GetEventSelectors'] as Answers)[TRAIL] = value as Record<string, unknown>;
};

describe('AWS posture checks on recorded responses', () => {
  it('passes every check on an account set up as docs/posture.md says', () => {
    const report = evaluatePosture(awsPostureChecks, awsSnapshot(), config());
    const notPassing = report.rows
      .filter((r) => r.status !== 'pass')
      .map((r) => `${r.check} ${r.subject.id}: ${r.detail}`);
    expect(notPassing).toEqual([]);
    expect(report.summary).toEqual({ pass: 17, fail: 0, unknown: 0 });
  });

  describe('aws.cloudtrail-data-events', () => {
    const check = 'aws.cloudtrail-data-events';
    it('covers a bucket in another region through the multi-region trail shown there', () => {
      expect(rowOf(awsSnapshot(), check, 'training-data')).toMatchObject({
        status: 'pass',
        detail: `org-data-events logs GetObject on every object of training-data into ${LOG_BUCKET}, writes too`,
      });
    });

    it.each([
      [
        'an advanced selector on a prefix only',
        {
          AdvancedEventSelectors: [
            {
              Name: 'weights only',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::models-prod/weights/'] },
              ],
            },
          ],
        },
        'org-data-events: GetObject logged for "weights only": only objects under weights/',
      ],
      [
        'a basic selector on a prefix only',
        {
          EventSelectors: [
            {
              ReadWriteType: 'All',
              IncludeManagementEvents: true,
              DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::models-prod/weights/'] }],
            },
          ],
        },
        'org-data-events: GetObject logged for only objects under weights/',
      ],
      [
        'write-only basic selectors',
        {
          EventSelectors: [
            {
              ReadWriteType: 'WriteOnly',
              DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
            },
          ],
        },
        'org-data-events: no data events for this bucket',
      ],
      [
        'advanced selectors for writes only',
        {
          AdvancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'readOnly', Equals: ['false'] },
              ],
            },
          ],
        },
        'org-data-events: no data events for this bucket',
      ],
      [
        'GetObject excluded by name',
        {
          AdvancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'eventName', NotEquals: ['GetObject', 'HeadObject'] },
              ],
            },
          ],
        },
        'org-data-events: no data events for this bucket',
      ],
      [
        'the serving role excluded',
        {
          AdvancedEventSelectors: [
            {
              Name: 'all but inference',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                {
                  Field: 'userIdentity.arn',
                  NotStartsWith: [`arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/`],
                },
              ],
            },
          ],
        },
        `org-data-events: GetObject logged for "all but inference": not events whose userIdentity.arn matches ["arn:aws:sts::${ACCOUNT}:assumed-role/llm-inference-role/"]`,
      ],
      [
        'a sub-prefix excluded',
        {
          AdvancedEventSelectors: [
            {
              Name: 'no scratch',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::models-prod/scratch/'] },
              ],
            },
          ],
        },
        'org-data-events: GetObject logged for "no scratch": not objects scratch/',
      ],
    ])('fails on %s', (_name, answer, detail) => {
      const row = rowOf(
        snapshotWith((aws) => selectors(aws, { TrailARN: TRAIL, ...answer })),
        check,
        'models-prod',
      );
      expect(row.status).toBe('fail');
      expect(row.detail).toBe(detail);
      expect(row.fix).toContain('"StartsWith":["arn:aws:s3:::models-prod/"]');
    });

    it.each([
      [
        'basic selectors on every bucket',
        {
          EventSelectors: [
            { ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
          ],
        },
      ],
      [
        'basic selectors on the bucket',
        {
          EventSelectors: [
            {
              ReadWriteType: 'ReadOnly',
              DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::models-prod/'] }],
            },
          ],
        },
      ],
      [
        'advanced selectors on all objects, failed calls excluded',
        {
          AdvancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'errorCode', NotEquals: ['AccessDenied'] },
              ],
            },
          ],
        },
      ],
      [
        'two prefixes of one selector through the bucket prefix of another',
        {
          AdvancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::models-prod/weights/'] },
              ],
            },
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'readOnly', Equals: ['true'] },
                { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::models'] },
              ],
            },
          ],
        },
      ],
    ])('passes with %s', (_name, answer) => {
      const row = rowOf(
        snapshotWith((aws) => selectors(aws, { TrailARN: TRAIL, ...answer })),
        check,
        'models-prod',
      );
      expect(row.status, row.detail).toBe('pass');
    });

    it('fails a trail that is not logging, or delivers where the scan does not read', () => {
      const stopped = snapshotWith((aws) => {
        (aws['cloudtrail:GetTrailStatus'] as Answers)[TRAIL] = { IsLogging: false };
      });
      expect(rowOf(stopped, check, 'models-prod')).toMatchObject({
        status: 'fail',
        detail: 'org-data-events: not logging',
      });
      const elsewhere = rowOf(
        awsSnapshot(),
        check,
        'models-prod',
        awsConfig({ detect: { inferenceEndpoints: [ENI] } }),
      );
      expect(elsewhere).toMatchObject({
        status: 'fail',
        detail: `org-data-events: delivers to ${LOG_BUCKET}, not a bucket in aws.logBuckets`,
      });
    });

    it('fails when no trail logs in the bucket region, with a create-trail fix', () => {
      const none = snapshotWith((aws) => {
        (aws['cloudtrail:DescribeTrails'] as Answers)['eu-west-1'] = { trailList: [] };
      });
      const row = rowOf(none, check, 'training-data');
      expect(row).toMatchObject({
        status: 'fail',
        detail: 'no trail logs in eu-west-1, where training-data is',
      });
      expect(row.fix).toMatch(
        /^aws cloudtrail create-trail --name tourniquet-data-events --is-multi-region-trail/,
      );
    });

    it('is unknown, never pass, when a trail could not be read or the bucket location is missing', () => {
      const denied = snapshotWith((aws) => {
        selectors(aws, { $error: { code: 'AccessDeniedException', status: 400, message: 'not authorized' } });
      });
      expect(rowOf(denied, check, 'models-prod')).toMatchObject({
        status: 'unknown',
        detail: 'could not read every trail: org-data-events: AccessDeniedException',
      });
      const noLocation = snapshotWith((aws) => {
        delete (aws['s3:GetBucketLocation'] as Answers)['models-prod'];
      });
      expect(rowOf(noLocation, check, 'models-prod')).toMatchObject({
        status: 'unknown',
        detail: 'no answer to s3:GetBucketLocation for models-prod in the snapshot',
      });
    });
  });

  it.each([
    ['aws.s3-access-logging', 's3:GetBucketLogging', {}, 'server access logging is off'],
    [
      'aws.s3-access-logging',
      's3:GetBucketLogging',
      { LoggingEnabled: { TargetBucket: 'other-logs', TargetPrefix: '' } },
      'logs go to other-logs, which is not in aws.logBuckets: the scan function never reads them',
    ],
    ['aws.s3-versioning', 's3:GetBucketVersioning', {}, 'versioning was never enabled'],
    [
      'aws.s3-versioning',
      's3:GetBucketVersioning',
      { Status: 'Suspended', MFADelete: 'Disabled' },
      'versioning is suspended',
    ],
    [
      'aws.s3-object-lock',
      's3:GetObjectLockConfiguration',
      {
        $error: {
          code: 'ObjectLockConfigurationNotFoundError',
          status: 404,
          message: 'Object Lock configuration does not exist for this bucket',
        },
      },
      'Object Lock is not enabled: pinned versions cannot be put under legal hold',
    ],
    [
      'aws.s3-block-public-access',
      's3:GetBucketPolicyStatus',
      { PolicyStatus: { IsPublic: true } },
      'the bucket policy is public',
    ],
  ])('%s fails on %s = %j', (check, op, answer, detail) => {
    const row = rowOf(
      snapshotWith((aws) => {
        (aws[op] as Answers)['models-prod'] = answer as Record<string, unknown>;
      }),
      check,
      'models-prod',
    );
    expect(row).toMatchObject({ status: 'fail', detail });
    expect(row.fix).toMatch(/^(aws s3api|add ")/);
  });

  it('aws.s3-block-public-access reads the account-wide block when the bucket has none, and fails without either', () => {
    const check = 'aws.s3-block-public-access';
    expect(rowOf(awsSnapshot(), check, 'training-data')).toMatchObject({
      status: 'pass',
      detail: 'all four settings on (account-wide)',
    });
    const partly = snapshotWith((aws) => {
      (aws['s3control:GetPublicAccessBlock'] as Answers)[ACCOUNT] = {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      };
    });
    expect(rowOf(partly, check, 'training-data')).toMatchObject({
      status: 'fail',
      detail: 'off at bucket and account: BlockPublicPolicy, RestrictPublicBuckets',
    });
  });

  describe('aws.flow-logs', () => {
    const check = 'aws.flow-logs';
    const flowLog = (aws: Answers, change: Record<string, unknown>) => {
      const pages = (aws['ec2:DescribeFlowLogs'] as Answers)['us-east-1'] as unknown as {
        FlowLogs: Record<string, unknown>[];
      }[];
      Object.assign(pages[0]?.FlowLogs[0] ?? {}, change);
    };
    it('accepts a flow log on the VPC of the endpoint, found by ENI id and by address', () => {
      expect(rowOf(awsSnapshot(), check, ENI).status).toBe('pass');
      expect(rowOf(awsSnapshot(), check, '10.20.1.15').detail).toBe(
        `fl-0a1b2c3d4e5f67890 on ${VPC} delivers ALL traffic with bytes to arn:aws:s3:::${LOG_BUCKET}/vpc-flow/`,
      );
    });

    it('fails with flow logs on another subnet only, and names them', () => {
      const row = rowOf(
        snapshotWith((aws) => flowLog(aws, { ResourceId: 'subnet-0ffff0000eeee1111' })),
        check,
        ENI,
      );
      expect(row).toMatchObject({
        status: 'fail',
        detail: `no flow log on ${ENI}, ${SUBNET}, ${VPC} (flow logs exist on subnet-0ffff0000eeee1111)`,
      });
      expect(row.fix).toContain(`--resource-ids ${SUBNET} --traffic-type ALL`);
    });

    it.each([
      [
        {
          LogFormat: flowFormat(
            'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets start end action',
          ),
        },
        `format without ${flowFormat('bytes')}`,
      ],
      [{ TrafficType: 'REJECT' }, 'only rejected traffic (a drain is accepted traffic)'],
      [
        {
          LogDestinationType: 'cloud-watch-logs',
          LogDestination: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:flows`,
        },
        'delivers to cloud-watch-logs, not S3 (the scan reads S3)',
      ],
      [{ FlowLogStatus: 'INACTIVE' }, 'status INACTIVE'],
    ])('fails a flow log with %j', (change, why) => {
      expect(
        rowOf(
          snapshotWith((aws) => flowLog(aws, change)),
          check,
          ENI,
        ),
      ).toMatchObject({
        status: 'fail',
        detail: `fl-0a1b2c3d4e5f67890 on ${VPC}: ${why}`,
      });
    });

    it('is unknown for a network range, which names no interface', () => {
      const row = rowOf(
        awsSnapshot(),
        check,
        '10.20.0.0/16',
        config({ inferenceEndpoints: ['10.20.0.0/16'] }),
      );
      expect(row.status).toBe('unknown');
    });
  });

  it.each([
    [
      'aws.bedrock-invocation-logging',
      'bedrock:GetModelInvocationLoggingConfiguration',
      {},
      'model invocation logging is off in us-east-1',
    ],
    [
      'aws.bedrock-invocation-logging',
      'bedrock:GetModelInvocationLoggingConfiguration',
      {
        loggingConfig: {
          cloudWatchConfig: { logGroupName: 'bedrock', roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-logs` },
          textDataDeliveryEnabled: true,
        },
      },
      'logs go to CloudWatch Logs only (bedrock): the scan reads S3',
    ],
    [
      'aws.bedrock-invocation-logging',
      'bedrock:GetModelInvocationLoggingConfiguration',
      { loggingConfig: { s3Config: { bucketName: LOG_BUCKET }, textDataDeliveryEnabled: false } },
      'text delivery is off',
    ],
    [
      'aws.bedrock-guardrails',
      'bedrock:ListEnforcedGuardrailsConfiguration',
      [{ guardrailsConfig: [] }],
      'prod-baseline ready but none enforced: only calls that name a guardrail (or IAM policies requiring bedrock:GuardrailIdentifier) use it',
    ],
    ['aws.guardduty', 'guardduty:ListDetectors', [{ DetectorIds: [] }], 'no GuardDuty detector in us-east-1'],
  ])('%s fails on %s = %j', (check, op, answer, detail) => {
    const row = rowOf(
      snapshotWith((aws) => {
        (aws[op] as Answers)['us-east-1'] = answer as Record<string, unknown>;
      }),
      check,
      'us-east-1',
    );
    expect(row).toMatchObject({ status: 'fail', detail });
  });

  it('aws.bedrock-guardrails fails without any guardrail, with the commands that create and enforce one', () => {
    const row = rowOf(
      snapshotWith((aws) => {
        (aws['bedrock:ListEnforcedGuardrailsConfiguration'] as Answers)['us-east-1'] = [
          { guardrailsConfig: [] },
        ] as never;
        (aws['bedrock:ListGuardrails'] as Answers)['us-east-1'] = [{ guardrails: [] }] as never;
      }),
      'aws.bedrock-guardrails',
      'us-east-1',
    );
    expect(row).toMatchObject({ status: 'fail', detail: 'no guardrail in us-east-1' });
    expect(row.fix).toContain('aws bedrock put-enforced-guardrail-configuration --region us-east-1');
  });

  it('aws.guardduty fails without S3 or AI Protection and says which', () => {
    const row = rowOf(
      snapshotWith((aws) => {
        const detector = (aws['guardduty:GetDetector'] as Answers)[`us-east-1/${DETECTOR}`] as {
          Features: { Name: string; Status: string }[];
        };
        for (const f of detector.Features) f.Status = 'DISABLED';
      }),
      'aws.guardduty',
      'us-east-1',
    );
    expect(row.detail).toBe(
      `detector ${DETECTOR} is on without S3 Protection (no Exfiltration:S3 findings) and AI Protection (no Bedrock findings)`,
    );
    expect(row.fix).toContain('"AI_PROTECTION","Status":"ENABLED"');
  });

  it.each([
    [
      { $error: { code: 'ObjectLockConfigurationNotFoundError', status: 404, message: '' } },
      'Object Lock is not enabled: journal entries and evidence can be deleted',
      'fail',
    ],
    [
      { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } },
      'Object Lock is enabled without a default retention: new journal entries are not locked',
      'fail',
    ],
    [
      {
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } },
        },
      },
      'default retention is 7 days, under the 30 the NIS2 final report needs',
      'fail',
    ],
    [
      {
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 1 } },
        },
      },
      'GOVERNANCE retention of 365 days (principals with s3:BypassGovernanceRetention can still delete: COMPLIANCE cannot be bypassed)',
      'pass',
    ],
  ])('aws.evidence-object-lock on %j', (answer, detail, status) => {
    const bucket = `ir-evidence-${ACCOUNT}`;
    const row = rowOf(
      snapshotWith((aws) => {
        (aws['s3:GetObjectLockConfiguration'] as Answers)[bucket] = answer;
      }),
      'aws.evidence-object-lock',
      bucket,
    );
    expect(row).toMatchObject({ status, detail });
  });

  it.each([
    [
      (aws: Answers) => ((aws['events:ListRules'] as Answers)['us-east-1'] = [{ Rules: [] }] as never),
      'no rule named tourniquet-prod-* in us-east-1: the stack is not deployed here',
    ],
    [
      (aws: Answers) => {
        const page = (
          (aws['events:ListRules'] as Answers)['us-east-1'] as unknown as { Rules: { State: string }[] }[]
        )[0];
        if (page?.Rules[0]) page.Rules[0].State = 'DISABLED';
      },
      'tourniquet-prod-contain-rule-1 is DISABLED; no enabled rule for aws.guardduty',
    ],
    [
      (aws: Answers) => {
        const page = (
          (aws['events:ListTargetsByRule'] as Answers)[
            'us-east-1/tourniquet-prod-contain-rule-3'
          ] as unknown as { Targets: Record<string, unknown>[] }[]
        )[0];
        delete page?.Targets[0]?.DeadLetterConfig;
      },
      'tourniquet-prod-contain-rule-3 target tourniquet-prod-contain-rule-3-target has no dead-letter queue',
    ],
  ])('aws.eventbridge-rules fails (%#)', (change, detail) => {
    expect(rowOf(snapshotWith(change), 'aws.eventbridge-rules', 'us-east-1')).toMatchObject({
      status: 'fail',
      detail,
    });
  });
});
