/**
 * `AWS API Call via CloudTrail`: the `detail` is the CloudTrail record (CloudTrail User Guide "CloudTrail
 * record contents", "userIdentity element"); S3 entries per the S3 User Guide
 * (cloudtrail-logging-understanding-s3-entries), IAM events per EventBridge reference events-ref-iam
 * (delivered in us-east-1 only).
 */
import { describe, expect, it } from 'vitest';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { ACCOUNT } from '../../support/config.ts';
import { alertsOf, bucket, fixture, type Mutable, object, roleSession, userWithKey } from './fixtures.ts';

const KEY = 'weights/model-00001-of-00004.safetensors';
const alice = userWithKey('dev-alice', 'AIDAEXAMPLEALICE0001', 'AKIAEXAMPLEALICE0001');
const one = (name: string) => {
  const [alert, ...rest] = alertsOf(parseAwsEvent(fixture('events', name)));
  expect(rest).toEqual([]);
  return alert;
};
const getObject = () => fixture('events', 'cloudtrail-getobject.json');

describe('parseAwsEvent: AWS API Call via CloudTrail', () => {
  it('reads a GetObject data event: role from the session issuer without its path, bucket and object', () => {
    expect(one('cloudtrail-getobject.json')).toEqual({
      id: 'd1c9e5a2-7b3f-4e8a-9c6d-2f1e0b9a8c7d',
      dedupeKey: 'aws:cloudtrail:d1c9e5a2-7b3f-4e8a-9c6d-2f1e0b9a8c7d',
      actor: {
        id: `arn:aws:sts::${ACCOUNT}:assumed-role/llm-eval-role/eval-batch-0042`,
        kind: 'session',
        session: 'AROAEXAMPLEEVALROLE1:eval-batch-0042',
      },
      cloud: 'aws',
      source: 'cloudtrail',
      type: 's3:GetObject',
      severity: 8,
      observedAt: '2026-11-25T10:11:58.000Z',
      account: ACCOUNT,
      region: 'us-east-1',
      principal: roleSession(
        'llm-eval-role',
        'eval-batch-0042',
        'AROAEXAMPLEEVALROLE1',
        'ASIAEXAMPLEEVAL00042',
      ),
      resources: [bucket('models-prod'), object('models-prod', KEY)],
      sample: false,
      context: {},
    });
  });

  it.each([
    [
      'cloudtrail-put-bucket-policy-public.json',
      's3:PutBucketPolicy',
      8,
      'models-prod',
      { exposure: 'public' },
    ],
    [
      'cloudtrail-put-bucket-policy-benign.json',
      's3:PutBucketPolicy',
      3,
      'models-prod',
      { exposure: 'none' },
    ],
    ['cloudtrail-delete-bucket-policy.json', 's3:DeleteBucketPolicy', 7, 'training-data', {}],
    ['cloudtrail-put-bucket-acl-public.json', 's3:PutBucketAcl', 8, 'training-data', { exposure: 'public' }],
    ['cloudtrail-delete-public-access-block.json', 's3:DeletePublicAccessBlock', 7, 'models-prod', {}],
    [
      'cloudtrail-put-bucket-versioning-suspended.json',
      's3:PutBucketVersioning',
      7,
      'models-prod',
      { versioning: 'Suspended' },
    ],
  ])('reads %s as %s, severity %d', (name, type, severity, bucketName, context) => {
    expect(one(name)).toMatchObject({
      type,
      severity,
      principal: alice,
      resources: [bucket(bucketName)],
      context,
    });
    expect(one(name)?.context).toEqual(context);
  });

  it('reads a CreateAccessKey for another user: the new key belongs to that user', () => {
    expect(one('cloudtrail-create-access-key-other-user.json')).toMatchObject({
      type: 'iam:CreateAccessKey',
      severity: 7,
      principal: alice,
      resources: [
        {
          kind: 'access-key',
          id: 'AKIAEXAMPLENEWKEY001',
          parent: `arn:aws:iam::${ACCOUNT}:user/ml-pipeline`,
        },
      ],
      context: { selfService: false, keyOwner: `arn:aws:iam::${ACCOUNT}:user/ml-pipeline` },
    });
  });

  it('reads a CreateAccessKey for oneself as self-service, severity 3', () => {
    expect(one('cloudtrail-create-access-key-self.json')).toMatchObject({
      severity: 3,
      context: { selfService: true, keyOwner: `arn:aws:iam::${ACCOUNT}:user/dev-alice` },
    });
  });

  it('reads AttachRolePolicy AdministratorAccess as an admin grant to the target role', () => {
    expect(one('cloudtrail-attach-role-policy-admin.json')).toMatchObject({
      type: 'iam:AttachRolePolicy',
      severity: 8,
      principal: roleSession(
        'ci-deploy-role',
        'gha-run-8842',
        'AROAEXAMPLECIDEPLOY1',
        'ASIAEXAMPLECIDEPLOY1',
      ),
      resources: [],
      context: {
        target: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`,
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        grantsAdmin: true,
      },
    });
  });

  it('reads PutUserPolicy allowing * on * as an admin grant', () => {
    expect(one('cloudtrail-put-user-policy-star.json')?.context).toEqual({
      target: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
      policyName: 'temp-debug',
      grantsAdmin: true,
    });
  });

  it.each([
    ['IAMFullAccess', 'arn:aws:iam::aws:policy/IAMFullAccess', { grantsAdmin: true }, 8],
    ['ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess', { grantsAdmin: false }, 3],
    [
      'PowerUserAccess',
      'arn:aws:iam::aws:policy/PowerUserAccess',
      { grantsAdmin: false, note: expect.stringContaining('not admin') },
      3,
    ],
  ])('judges attaching %s', (_name, policyArn, facts, severity) => {
    const e = fixture('events', 'cloudtrail-attach-role-policy-admin.json');
    e.detail.requestParameters.policyArn = policyArn;
    expect(alertsOf(parseAwsEvent(e))[0]).toMatchObject({ severity, context: { policyArn, ...facts } });
  });

  it.each([
    ['iam:* on *', { Effect: 'Allow', Action: ['iam:*'], Resource: '*' }, true],
    ['NotAction on *', { Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: ['*'] }, true],
    ['* on one bucket', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::models-prod' }, false],
    ['s3:* on *', { Effect: 'Allow', Action: 's3:*', Resource: '*' }, false],
  ])('judges an inline policy allowing %s', (_name, statement, admin) => {
    const e = fixture('events', 'cloudtrail-put-user-policy-star.json');
    e.detail.requestParameters.policyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: statement,
    });
    expect(alertsOf(parseAwsEvent(e))[0]?.context.grantsAdmin).toBe(admin);
  });

  it('keeps the alert but drops an object key S3 would not accept', () => {
    const e = getObject();
    e.detail.requestParameters.key = 'weights/\u001bx';
    e.detail.resources = [];
    const [alert] = alertsOf(parseAwsEvent(e));
    expect(alert?.resources).toEqual([bucket('models-prod')]);
    expect(alert?.context).toEqual({ droppedKeys: ['"weights/\\u001bx"'] });
  });

  it.each([
    ['a failed call', (e: Mutable) => (e.detail.errorCode = 'AccessDenied'), /failed \("AccessDenied"\)/],
    [
      'a call with no playbook',
      (e: Mutable) => (e.detail.eventName = 'ListObjectsV2'),
      /"s3:ListObjectsV2" is not a call/,
    ],
  ])('ignores %s', (_name, change, reason) => {
    const e = getObject();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });

  it.each([
    [
      'an eventSource that is not the envelope source',
      (e: Mutable) => (e.detail.eventSource = 'iam.amazonaws.com'),
      /eventSource/,
    ],
    [
      'an invalid bucket name',
      (e: Mutable) => (e.detail.requestParameters.bucketName = 'Models_Prod'),
      /bucketName "Models_Prod"/,
    ],
    [
      'a resource ARN in another partition',
      (e: Mutable) => (e.detail.resources[0].ARN = 'arn:aws-cn:s3:::models-prod/x'),
      /aws-cn/,
    ],
    [
      'an unreadable bucket policy',
      (e: Mutable) => {
        e.detail.eventName = 'PutBucketPolicy';
        e.detail.requestParameters.bucketPolicy = '{"Statement": [';
      },
      /bucketPolicy is not a readable JSON policy/,
    ],
    [
      'a recipient account that is not 12 digits',
      (e: Mutable) => (e.detail.recipientAccountId = '1111'),
      /recipientAccountId/,
    ],
  ])('rejects %s', (_name, change, reason) => {
    const e = getObject();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });

  it.each([
    [
      'a target role name with injection characters',
      'cloudtrail-attach-role-policy-admin.json',
      (e: Mutable) => (e.detail.requestParameters.roleName = 'admin"*'),
      /roleName/,
    ],
    [
      'a policy ARN that is not one',
      'cloudtrail-attach-role-policy-admin.json',
      (e: Mutable) => (e.detail.requestParameters.policyArn = 'AdministratorAccess\n'),
      /policyArn/,
    ],
    [
      'a key owner with injection characters',
      'cloudtrail-create-access-key-other-user.json',
      (e: Mutable) => (e.detail.responseElements.accessKey.userName = 'bob/../admin'),
      /userName/,
    ],
  ])('rejects IAM calls with %s', (_name, name, change, reason) => {
    const e = fixture('events', name);
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});
