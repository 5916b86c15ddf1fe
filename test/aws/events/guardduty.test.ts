/**
 * GuardDuty findings as EventBridge delivers them. Shapes: GuardDuty User Guide "Processing GuardDuty
 * findings with Amazon EventBridge" (envelope) and the GuardDuty API Reference (Finding,
 * AccessKeyDetails, S3BucketDetail, S3ObjectDetail); finding types from guardduty_finding-types-s3/-iam.
 */
import { describe, expect, it } from 'vitest';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { ACCOUNT, MEMBER } from '../../support/config.ts';
import { alertsOf, bucket, fixture, type Mutable, object, roleSession, userWithKey } from './fixtures.ts';

const exfiltration = () => fixture('events', 'guardduty-s3-exfiltration-assumed-role.json');

describe('parseAwsEvent: GuardDuty Finding', () => {
  it('resolves an assumed-role S3 exfiltration to the role, with the session and key as aliases', () => {
    const [alert, ...rest] = alertsOf(parseAwsEvent(exfiltration()));
    expect(rest).toEqual([]);
    expect(alert).toEqual({
      id: 'a6c7d2e1b0f94e3a8c5d7e9f1a2b3c4d',
      dedupeKey: `aws:guardduty:${ACCOUNT}:us-east-1:a6c7d2e1b0f94e3a8c5d7e9f1a2b3c4d`,
      actor: {
        id: `arn:aws:sts::${ACCOUNT}:assumed-role/llm-finetune-role/botocore-session-1764064512`,
        kind: 'session',
        session: 'AROAEXAMPLEFINETUNE1:botocore-session-1764064512',
      },
      cloud: 'aws',
      source: 'guardduty',
      type: 'Exfiltration:S3/AnomalousBehavior',
      severity: 8,
      observedAt: '2026-11-25T09:58:47.000Z',
      account: ACCOUNT,
      region: 'us-east-1',
      principal: roleSession(
        'llm-finetune-role',
        'botocore-session-1764064512',
        'AROAEXAMPLEFINETUNE1',
        'ASIAEXAMPLEFINETUNE1',
      ),
      resources: [bucket('models-prod')],
      sample: false,
      title: 'Anomalous S3 reads of models-prod by llm-finetune-role from 198.51.100.7',
      context: { resourceType: 'S3Bucket' },
    });
  });

  it('resolves instance credentials used outside AWS to the instance role', () => {
    const [alert] = alertsOf(
      parseAwsEvent(fixture('events', 'guardduty-credential-exfiltration-outside-aws.json')),
    );
    expect(alert).toMatchObject({
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      severity: 8,
      principal: roleSession(
        'llm-finetune-role',
        'i-0a1b2c3d4e5f60718',
        'AROAEXAMPLEFINETUNE1',
        'ASIAEXAMPLEINSTANCE1',
      ),
      resources: [],
      context: { resourceType: 'AccessKey' },
    });
  });

  it('resolves an IAM user access key to the user and the key id', () => {
    const [alert] = alertsOf(parseAwsEvent(fixture('events', 'guardduty-iam-user-access-key.json')));
    expect(alert?.principal).toEqual(
      userWithKey('ml-pipeline', 'AIDAEXAMPLEPIPELINE1', 'AKIAEXAMPLEPIPELINE1'),
    );
    expect(alert?.type).toBe('Exfiltration:IAMUser/AnomalousBehavior');
  });

  it('resolves root to the account root, certain but of kind root', () => {
    const [alert] = alertsOf(parseAwsEvent(fixture('events', 'guardduty-root.json')));
    expect(alert?.principal).toEqual({
      id: `arn:aws:iam::${ACCOUNT}:root`,
      kind: 'root',
      account: ACCOUNT,
      aliases: [
        { type: 'principal-id', value: ACCOUNT },
        { type: 'access-key-id', value: 'ASIAEXAMPLEROOTSESS1' },
      ],
      accessKeyId: 'ASIAEXAMPLEROOTSESS1',
      certain: true,
    });
    expect(alert?.resources).toEqual([bucket('training-data')]);
  });

  it('never takes a federated user as certain', () => {
    const [alert] = alertsOf(parseAwsEvent(fixture('events', 'guardduty-federated-user.json')));
    expect(alert?.principal).toEqual({
      id: `arn:aws:sts::${ACCOUNT}:federated-user/contractor-bob`,
      kind: 'federated-user',
      account: ACCOUNT,
      name: 'contractor-bob',
      aliases: [
        { type: 'principal-id', value: `${ACCOUNT}:contractor-bob` },
        { type: 'access-key-id', value: 'ASIAEXAMPLEFEDERATE1' },
      ],
      accessKeyId: 'ASIAEXAMPLEFEDERATE1',
      certain: false,
    });
  });

  it('marks sample findings and drops their placeholder key id', () => {
    const [alert] = alertsOf(parseAwsEvent(fixture('events', 'guardduty-sample-finding.json')));
    expect(alert?.sample).toBe(true);
    expect(alert?.principal).toEqual({
      id: `arn:aws:iam::${ACCOUNT}:user/GeneratedFindingUserName`,
      kind: 'user',
      account: ACCOUNT,
      name: 'GeneratedFindingUserName',
      aliases: [{ type: 'principal-id', value: 'GeneratedFindingPrincipalId' }],
      certain: true,
    });
  });

  it('keeps the dedupe key across repeats of a finding and separates different findings', () => {
    const repeat = exfiltration();
    repeat.detail.service.count = 7;
    repeat.detail.updatedAt = '2026-11-25T16:00:00.000Z';
    repeat.detail.service.eventLastSeen = '2026-11-25T15:59:00.000Z';
    const other = exfiltration();
    other.detail.id = 'ffffffffffffffffffffffffffffffff';
    const key = (e: unknown) => alertsOf(parseAwsEvent(e))[0]?.dedupeKey;
    expect(key(repeat)).toBe(key(exfiltration()));
    expect(key(other)).not.toBe(key(exfiltration()));
  });

  it('places a member-account finding in the member account, whoever receives the event', () => {
    const e = exfiltration();
    e.account = ACCOUNT; // the delegated administrator receives members' findings
    e.detail.accountId = MEMBER;
    const [alert] = alertsOf(parseAwsEvent(e));
    expect(alert?.account).toBe(MEMBER);
    expect(alert?.principal?.id).toBe(`arn:aws:iam::${MEMBER}:role/llm-finetune-role`);
    expect(alert?.dedupeKey).toBe(`aws:guardduty:${MEMBER}:us-east-1:a6c7d2e1b0f94e3a8c5d7e9f1a2b3c4d`);
  });

  it('does not take a caller from another account as certain', () => {
    const e = exfiltration();
    e.detail.service.action.awsApiCallAction.remoteAccountDetails = { accountId: MEMBER, affiliated: false };
    const [alert] = alertsOf(parseAwsEvent(e));
    expect(alert?.principal).toMatchObject({
      id: `arn:aws:iam::${MEMBER}:role/llm-finetune-role`,
      certain: false,
    });
    expect(alert?.context).toEqual({ resourceType: 'S3Bucket', remoteAccount: MEMBER });
  });

  it('gives service-linked roles their own kind', () => {
    const e = exfiltration();
    e.detail.resource.accessKeyDetails.userName = 'AWSServiceRoleForAmazonSageMakerNotebooks';
    expect(alertsOf(parseAwsEvent(e))[0]?.principal?.kind).toBe('service-linked-role');
  });

  it.each([
    [
      'an unknown userType',
      { userType: 'Unknown', principalId: 'AIDAEXAMPLE', userName: 'x' },
      'AIDAEXAMPLE',
    ],
    [
      'an assumed role without a name',
      { userType: 'AssumedRole', principalId: 'AROAEXAMPLE:s1' },
      'AROAEXAMPLE:s1',
    ],
  ])('leaves %s uncertain', (_name, details, id) => {
    const e = exfiltration();
    e.detail.resource.accessKeyDetails = details;
    expect(alertsOf(parseAwsEvent(e))[0]?.principal).toMatchObject({ id, kind: 'unknown', certain: false });
  });

  it('names the objects a finding lists and drops keys S3 would not accept', () => {
    const e = exfiltration();
    e.detail.resource.s3BucketDetails[0].s3ObjectDetails = [
      {
        objectArn: 'arn:aws:s3:::models-prod/weights/a.safetensors',
        key: 'weights/a.safetensors',
        eTag: 'e1',
      },
      { key: 'weights/\u0000b' },
    ];
    const [alert] = alertsOf(parseAwsEvent(e));
    expect(alert?.resources).toEqual([bucket('models-prod'), object('models-prod', 'weights/a.safetensors')]);
    expect(alert?.context.droppedKeys).toEqual(['"weights/\\u0000b"']);
  });

  it.each([
    ['archived', (e: Mutable) => (e.detail.service.archived = true), /archived/],
    [
      'about an EC2 instance',
      (e: Mutable) => (e.detail.resource.resourceType = 'Instance'),
      /resource type "Instance"/,
    ],
  ])('ignores a finding that is %s', (_name, change, reason) => {
    const e = exfiltration();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });

  it.each([
    ['a severity above 10', (e: Mutable) => (e.detail.severity = 42), /severity 42/],
    [
      'a type that is not a GuardDuty type',
      (e: Mutable) => (e.detail.type = 'Exfiltration S3'),
      /not a GuardDuty finding type/,
    ],
    ['a non-aws partition field', (e: Mutable) => (e.detail.partition = 'aws-us-gov'), /aws partition/],
    ['a finding id with spaces', (e: Mutable) => (e.detail.id = 'a b'), /detail.id/],
  ])('rejects %s', (_name, change, reason) => {
    const e = exfiltration();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});
