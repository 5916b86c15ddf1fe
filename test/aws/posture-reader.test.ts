/**
 * The live AWS posture reader: each operation of the catalog through the real SDK clients
 * (aws-sdk-client-mock at `send`), with the exact inputs, every page, and errors kept as the
 * service gave them. Shapes: CloudTrail, S3, EC2, Bedrock, GuardDuty, EventBridge and IAM API
 * References (SDK v3 output types).
 */
import {
  BedrockClient,
  GetModelInvocationLoggingConfigurationCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  ListGuardrailsCommand,
} from '@aws-sdk/client-bedrock';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeFlowLogsCommand, DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../core/posture/collect.ts';
import type { Read } from '../../core/posture/snapshot.ts';
import { awsPostureReader, postureClients } from '../../functions-aws/posture/reader.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { awsSnapshot, ENI, LOG_BUCKET } from '../posture/support/aws-snapshot.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';

const CLIENTS = [
  S3Client,
  S3ControlClient,
  CloudTrailClient,
  EC2Client,
  BedrockClient,
  GuardDutyClient,
  EventBridgeClient,
  IAMClient,
];
type Stub = AwsStub<object, { $metadata: object }, object>;
let mocks: Stub[] = [];
function mockAll() {
  mocks = CLIENTS.map((c) => mockClient(c as never) as unknown as Stub);
  return Object.fromEntries(CLIENTS.map((c, i) => [c.name, mocks[i]])) as Record<string, Stub>;
}
afterEach(() => {
  for (const m of mocks) m.restore();
});

const read = awsPostureReader(postureClients('us-east-1'), { pollMs: 0, maxPolls: 3 });

describe('awsPostureReader', () => {
  it('sends the read input as is and keeps the output without $metadata', async () => {
    const m = mockAll();
    m.S3Client?.on(GetBucketVersioningCommand, { Bucket: 'models-prod' }).resolves({
      Status: 'Enabled',
      $metadata: { httpStatusCode: 200, requestId: 'r1' },
    });
    expect(
      await read({ op: 's3:GetBucketVersioning', key: 'models-prod', input: { Bucket: 'models-prod' } }),
    ).toEqual({
      Status: 'Enabled',
    });
    expect(m.S3Client).toHaveReceivedCommandWith(GetBucketVersioningCommand, { Bucket: 'models-prod' });
  });

  it('keeps what the service answered with an error: name, HTTP status, message', async () => {
    const m = mockAll();
    m.S3Client?.on(GetObjectLockConfigurationCommand).rejects(
      new S3ServiceException({
        name: 'ObjectLockConfigurationNotFoundError',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'Object Lock configuration does not exist for this bucket',
      }),
    );
    expect(await read({ op: 's3:GetObjectLockConfiguration', key: 'b', input: { Bucket: 'b' } })).toEqual({
      $error: {
        code: 'ObjectLockConfigurationNotFoundError',
        status: 404,
        message: 'Object Lock configuration does not exist for this bucket',
      },
    });
  });

  it('keeps every page of a paged listing, in order, with dates as ISO text', async () => {
    const m = mockAll();
    const created = new Date('2025-06-01T09:00:00Z');
    m.EC2Client?.on(DescribeFlowLogsCommand)
      .resolvesOnce({ FlowLogs: [{ FlowLogId: 'fl-1', CreationTime: created }], NextToken: 'p2' })
      .resolvesOnce({ FlowLogs: [{ FlowLogId: 'fl-2', CreationTime: created }] });
    expect(
      await read({ op: 'ec2:DescribeFlowLogs', key: 'eu-west-1', input: {}, region: 'eu-west-1' }),
    ).toEqual([
      { FlowLogs: [{ FlowLogId: 'fl-1', CreationTime: '2025-06-01T09:00:00.000Z' }], NextToken: 'p2' },
      { FlowLogs: [{ FlowLogId: 'fl-2', CreationTime: '2025-06-01T09:00:00.000Z' }] },
    ]);
    // The paginator sets NextToken on the input it reuses: two calls, the last with the token.
    expect(m.EC2Client?.commandCalls(DescribeFlowLogsCommand)).toHaveLength(2);
    expect(m.EC2Client).toHaveReceivedNthCommandWith(DescribeFlowLogsCommand, 2, { NextToken: 'p2' });
    const ec2 = m.EC2Client?.send.getCall(0).thisValue as EC2Client;
    const region = await ec2.config.region();
    expect(region).toBe('eu-west-1');
  });

  it('pages EventBridge listings by NextToken', async () => {
    const m = mockAll();
    m.EventBridgeClient?.on(ListRulesCommand)
      .resolvesOnce({ Rules: [{ Name: 'tourniquet-prod-a' }], NextToken: 't' })
      .resolvesOnce({ Rules: [{ Name: 'tourniquet-prod-b' }] });
    const pages = await read({
      op: 'events:ListRules',
      key: 'us-east-1',
      input: { NamePrefix: 'tourniquet-prod-' },
    });
    expect(pages).toEqual([
      { Rules: [{ Name: 'tourniquet-prod-a' }], NextToken: 't' },
      { Rules: [{ Name: 'tourniquet-prod-b' }] },
    ]);
    expect(m.EventBridgeClient).toHaveReceivedNthCommandWith(ListRulesCommand, 2, {
      NamePrefix: 'tourniquet-prod-',
      NextToken: 't',
    });
  });

  it('starts an action-level last-accessed job, polls it to completion and keeps every page', async () => {
    const m = mockAll();
    const arn = `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`;
    m.IAMClient?.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
    m.IAMClient?.on(GetServiceLastAccessedDetailsCommand)
      .resolvesOnce({
        JobStatus: 'IN_PROGRESS',
        JobCreationDate: new Date(),
        ServicesLastAccessed: [],
        JobCompletionDate: undefined,
      })
      .resolvesOnce({
        JobStatus: 'COMPLETED',
        JobType: 'ACTION_LEVEL',
        JobCreationDate: new Date('2026-03-02T06:00:00Z'),
        JobCompletionDate: new Date('2026-03-02T06:00:02Z'),
        ServicesLastAccessed: [
          {
            ServiceName: 'Amazon S3',
            ServiceNamespace: 's3',
            LastAuthenticated: new Date('2025-11-03T10:00:00Z'),
          },
        ],
        IsTruncated: true,
        Marker: 'm2',
      })
      .resolvesOnce({
        JobStatus: 'COMPLETED',
        JobCreationDate: new Date('2026-03-02T06:00:00Z'),
        JobCompletionDate: new Date('2026-03-02T06:00:02Z'),
        ServicesLastAccessed: [{ ServiceName: 'AWS STS', ServiceNamespace: 'sts' }],
        IsTruncated: false,
      });
    const pages = (await read({
      op: 'iam:GetServiceLastAccessedDetails',
      key: arn,
      input: { Arn: arn },
    })) as unknown[];
    expect(pages).toHaveLength(2);
    expect(m.IAMClient).toHaveReceivedCommandWith(GenerateServiceLastAccessedDetailsCommand, {
      Arn: arn,
      Granularity: 'ACTION_LEVEL',
    });
    expect(
      m.IAMClient?.commandCalls(GetServiceLastAccessedDetailsCommand).map((c) => c.args[0].input),
    ).toEqual([{ JobId: 'job-1' }, { JobId: 'job-1' }, { JobId: 'job-1', Marker: 'm2' }]);
  });

  it('gives up on a job that never completes, as a stored error (the check is then unknown)', async () => {
    const m = mockAll();
    m.IAMClient?.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-2' });
    m.IAMClient?.on(GetServiceLastAccessedDetailsCommand).resolves({
      JobStatus: 'IN_PROGRESS',
      JobCreationDate: new Date(),
      ServicesLastAccessed: [],
      JobCompletionDate: undefined,
    });
    expect(await read({ op: 'iam:GetServiceLastAccessedDetails', key: 'r', input: { Arn: 'r' } })).toEqual({
      $error: { code: 'JobStillRunning', message: 'IAM last-accessed job job-2 still running after 3 polls' },
    });
  });
});

/** Each SDK command the reader sends, by the operation it serves. */
const COMMANDS = [
  ['s3:GetBucketLocation', 'S3Client', GetBucketLocationCommand],
  ['s3:GetBucketLogging', 'S3Client', GetBucketLoggingCommand],
  ['s3:GetBucketVersioning', 'S3Client', GetBucketVersioningCommand],
  ['s3:GetObjectLockConfiguration', 'S3Client', GetObjectLockConfigurationCommand],
  ['s3:GetPublicAccessBlock', 'S3Client', GetPublicAccessBlockCommand],
  ['s3:GetBucketPolicyStatus', 'S3Client', GetBucketPolicyStatusCommand],
  ['s3control:GetPublicAccessBlock', 'S3ControlClient', GetAccountPublicAccessBlockCommand],
  ['cloudtrail:DescribeTrails', 'CloudTrailClient', DescribeTrailsCommand],
  ['cloudtrail:GetTrailStatus', 'CloudTrailClient', GetTrailStatusCommand],
  ['cloudtrail:GetEventSelectors', 'CloudTrailClient', GetEventSelectorsCommand],
  ['ec2:DescribeNetworkInterfaces', 'EC2Client', DescribeNetworkInterfacesCommand],
  ['ec2:DescribeFlowLogs', 'EC2Client', DescribeFlowLogsCommand],
  [
    'bedrock:GetModelInvocationLoggingConfiguration',
    'BedrockClient',
    GetModelInvocationLoggingConfigurationCommand,
  ],
  ['bedrock:ListGuardrails', 'BedrockClient', ListGuardrailsCommand],
  [
    'bedrock:ListEnforcedGuardrailsConfiguration',
    'BedrockClient',
    ListEnforcedGuardrailsConfigurationCommand,
  ],
  ['guardduty:ListDetectors', 'GuardDutyClient', ListDetectorsCommand],
  ['guardduty:GetDetector', 'GuardDutyClient', GetDetectorCommand],
  ['events:ListRules', 'EventBridgeClient', ListRulesCommand],
  ['events:ListTargetsByRule', 'EventBridgeClient', ListTargetsByRuleCommand],
] as const;

describe('a live AWS posture run', () => {
  it('through the SDK clients gives the snapshot the recorded account would', async () => {
    const recorded = awsSnapshot();
    const config = awsConfig({
      aws: { ...awsConfig().aws, logBuckets: [LOG_BUCKET] },
      detect: { inferenceEndpoints: [ENI, '10.20.1.15'] },
    });
    const options = { cloud: 'aws' as const, config, scope: recorded.scope, now: new Date(recorded.takenAt) };
    // What the checks ask for, and what the account answers to each request (one page each here).
    const asked: Read[] = [];
    await collectSnapshot(
      awsPostureChecks,
      async (r) => {
        asked.push(r);
        return recorded.aws?.[r.op]?.[r.key];
      },
      options,
    );
    const m = mockAll();
    for (const [op, client, command] of COMMANDS) {
      m[client]?.on(command as never).callsFake((input: object) => {
        const hit = asked.find(
          (r) => r.op === op && JSON.stringify(r.input) === JSON.stringify(JSON.parse(JSON.stringify(input))),
        );
        const answer = hit && recorded.aws?.[op]?.[hit.key];
        if (answer === undefined) throw new Error(`unexpected ${op} ${JSON.stringify(input)}`);
        if (answer && typeof answer === 'object' && '$error' in answer) {
          const e = (answer as { $error: { code: string; status: number; message: string } }).$error;
          throw Object.assign(new Error(e.message), {
            name: e.code,
            $metadata: { httpStatusCode: e.status },
          });
        }
        return Array.isArray(answer) ? answer[0] : answer;
      });
    }
    const live = await collectSnapshot(awsPostureChecks, read, options);
    expect(live).toEqual(recorded);
  });
});
