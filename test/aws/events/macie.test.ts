/**
 * `Macie Finding`: Macie User Guide "Amazon EventBridge event schema for Macie findings"
 * (findings-publish-event-schemas) and the Macie API `Finding`, `UserIdentity` objects. Macie writes
 * the parts a finding does not use as `null`, which the fixtures keep.
 */
import { describe, expect, it } from 'vitest';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { ACCOUNT } from '../../support/config.ts';
import { alertsOf, bucket, fixture, type Mutable, object } from './fixtures.ts';

const policyFinding = () => fixture('events', 'macie-policy-bucket-public.json');

describe('parseAwsEvent: Macie Finding', () => {
  it('reads a policy finding with the actor who opened the bucket', () => {
    expect(alertsOf(parseAwsEvent(policyFinding()))).toEqual([
      {
        id: '64b917aa-3843-014c-91d8-937ffexample',
        dedupeKey: `aws:macie:${ACCOUNT}:us-east-1:64b917aa-3843-014c-91d8-937ffexample`,
        actor: {
          id: `arn:aws:sts::${ACCOUNT}:assumed-role/data-export-role/alice-console`,
          kind: 'session',
          session: 'AROAEXAMPLEEXPORTRL1:alice-console',
        },
        cloud: 'aws',
        source: 'macie',
        type: 'Policy:IAMUser/S3BucketPublic',
        severity: 8,
        observedAt: '2026-11-25T17:02:11.000Z',
        account: ACCOUNT,
        region: 'us-east-1',
        principal: {
          id: `arn:aws:iam::${ACCOUNT}:role/data-export-role`,
          kind: 'role',
          account: ACCOUNT,
          name: 'data-export-role',
          aliases: [
            {
              type: 'session-arn',
              value: `arn:aws:sts::${ACCOUNT}:assumed-role/data-export-role/alice-console`,
            },
            { type: 'principal-id', value: 'AROAEXAMPLEEXPORTRL1:alice-console' },
            { type: 'access-key-id', value: 'ASIAEXAMPLEEXPORTRL1' },
          ],
          accessKeyId: 'ASIAEXAMPLEEXPORTRL1',
          certain: true,
        },
        resources: [bucket('models-prod')],
        sample: false,
        title: 'The S3 bucket is publicly accessible',
        context: {},
      },
    ]);
  });

  it('reads a sensitive-data finding: the object, and no actor', () => {
    const [alert] = alertsOf(parseAwsEvent(fixture('events', 'macie-sensitive-data-credentials.json')));
    expect(alert).toMatchObject({
      type: 'SensitiveData:S3Object/Credentials',
      severity: 8,
      principal: null,
      resources: [bucket('training-data'), object('training-data', 'raw/2026-11/support-tickets-0031.jsonl')],
      dedupeKey: `aws:macie:${ACCOUNT}:us-east-1:90b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d`,
    });
  });

  it.each([
    [{ score: 1, description: 'Low' }, 3],
    [{ score: 2, description: 'Medium' }, 5],
    [{ score: 2 }, 5],
    [{ description: 'High' }, 8],
  ])('maps severity %j to %d', (severity, expected) => {
    const e = policyFinding();
    e.detail.severity = severity;
    expect(alertsOf(parseAwsEvent(e))[0]?.severity).toBe(expected);
  });

  it('names an IAM user actor', () => {
    const e = policyFinding();
    e.detail.policyDetails.actor.userIdentity = {
      type: 'IAMUser',
      iamUser: {
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
        principalId: 'AIDAEXAMPLEALICE0001',
        userName: 'dev-alice',
      },
      assumedRole: null,
      root: null,
    };
    expect(alertsOf(parseAwsEvent(e))[0]?.principal).toMatchObject({
      id: `arn:aws:iam::${ACCOUNT}:user/dev-alice`,
      kind: 'user',
      certain: true,
    });
  });

  it('marks sample findings and ignores archived ones', () => {
    const sample = policyFinding();
    sample.detail.sample = true;
    expect(alertsOf(parseAwsEvent(sample))[0]?.sample).toBe(true);
    const archived = policyFinding();
    archived.detail.archived = true;
    expect(parseAwsEvent(archived)).toEqual({ kind: 'ignored', reason: expect.stringMatching(/archived/) });
  });

  it.each([
    [
      'an invalid bucket name',
      (e: Mutable) => (e.detail.resourcesAffected.s3Bucket.name = 'models prod'),
      /s3Bucket.name/,
    ],
    [
      'a bucket ARN in another partition',
      (e: Mutable) => (e.detail.resourcesAffected.s3Bucket.arn = 'arn:aws-us-gov:s3:::models-prod'),
      /aws-us-gov/,
    ],
    ['an unknown severity', (e: Mutable) => (e.detail.severity = { description: 'Severe' }), /severity/],
    [
      'a type that is not a Macie type',
      (e: Mutable) => (e.detail.type = 'Policy:IAMUser/S3BucketPublic\nforged'),
      /Macie finding type/,
    ],
  ])('rejects %s', (_name, change, reason) => {
    const e = policyFinding();
    change(e);
    expect(parseAwsEvent(e)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});
