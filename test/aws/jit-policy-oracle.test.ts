/**
 * The documents of a just-in-time grant and of a standing-access fix, as the planners write them,
 * evaluated by the IAM policy simulator (@cloud-copilot/iam-simulate, AGPL: tests only) at given
 * times: `aws:CurrentTime` is passed in the request context as IAM sets it.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { GrantAccess } from '../../packs/aws/actions.ts';
import type { PolicyDocument } from '../../packs/aws/policies.ts';
import { standingAccessDeny } from '../../packs/aws/posture/access-policies.ts';
import { awsGrantChange } from '../../packs/aws/posture/posture-changes.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';

const PIPELINE = `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`;
const OTHER = `arn:aws:iam::${ACCOUNT}:role/etl-job`;
const START = new Date('2026-03-02T10:00:00.000Z');
const EXPIRY = new Date('2026-03-02T12:00:00.000Z');
const BEFORE = '2026-03-02T11:59:59Z';
const AFTER = '2026-03-02T12:00:01Z';
const OBJECT = 'arn:aws:s3:::models-prod/weights/model-00001.safetensors';
/** The pipeline's own standing policy, which a posture fix denies. */
const STANDING: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::models-prod/*' },
  ],
};

async function request(
  principal: string,
  policies: PolicyDocument[],
  action: string,
  resource: string,
  at: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': principal, 'aws:CurrentTime': at, ...extra },
    },
    identityPolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

function grant(access: 'read' | 'write', options: { prefix?: string; standingDeny?: PolicyDocument } = {}) {
  const change = awsGrantChange({
    config: awsConfig(),
    principal: PIPELINE,
    bucket: 'models-prod',
    ...(options.prefix ? { prefix: options.prefix } : {}),
    access,
    startsAt: START,
    expiresAt: EXPIRY,
    grantId: 'aws-grant-0001',
    reason: 'retrain after incident',
    standingDeny: options.standingDeny ?? null,
  });
  return change.actions.map((a) => (a as GrantAccess).params.policyDocument);
}

describe('a just-in-time grant, by the IAM simulator', () => {
  it('allows the named principal before expiry and stops at expiry, with nothing removed', async () => {
    const [policy] = grant('read');
    if (!policy) throw new Error('no grant policy');
    expect(await request(PIPELINE, [policy], 's3:GetObject', OBJECT, BEFORE)).toBe('Allowed');
    expect(await request(PIPELINE, [policy], 's3:GetObject', OBJECT, AFTER)).toBe('ImplicitlyDenied');
    expect(await request(PIPELINE, [policy], 's3:ListBucket', 'arn:aws:s3:::models-prod', BEFORE)).toBe(
      'Allowed',
    );
    expect(await request(PIPELINE, [policy], 's3:ListBucket', 'arn:aws:s3:::models-prod', AFTER)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('gives nothing to any other principal, and no more than the access asked for', async () => {
    const [policy] = grant('read');
    if (!policy) throw new Error('no grant policy');
    expect(await request(OTHER, [], 's3:GetObject', OBJECT, BEFORE)).toBe('ImplicitlyDenied');
    expect(await request(PIPELINE, [policy], 's3:PutObject', OBJECT, BEFORE)).toBe('ImplicitlyDenied');
    expect(await request(PIPELINE, [policy], 's3:GetObject', 'arn:aws:s3:::training-data/x', BEFORE)).toBe(
      'ImplicitlyDenied',
    );
    expect(await request(PIPELINE, [policy], 's3:PutBucketPolicy', 'arn:aws:s3:::models-prod', BEFORE)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('a write grant allows PutObject until expiry', async () => {
    const [policy] = grant('write');
    if (!policy) throw new Error('no grant policy');
    expect(await request(PIPELINE, [policy], 's3:PutObject', OBJECT, BEFORE)).toBe('Allowed');
    expect(await request(PIPELINE, [policy], 's3:PutObject', OBJECT, AFTER)).toBe('ImplicitlyDenied');
  });

  it('a grant on a prefix reaches only that prefix, listing included', async () => {
    const [policy] = grant('read', { prefix: 'weights/' });
    if (!policy) throw new Error('no grant policy');
    expect(await request(PIPELINE, [policy], 's3:GetObject', OBJECT, BEFORE)).toBe('Allowed');
    expect(
      await request(PIPELINE, [policy], 's3:GetObject', 'arn:aws:s3:::models-prod/tokenizer.json', BEFORE),
    ).toBe('ImplicitlyDenied');
    expect(
      await request(PIPELINE, [policy], 's3:ListBucket', 'arn:aws:s3:::models-prod', BEFORE, {
        's3:prefix': 'weights/v3/',
      }),
    ).toBe('Allowed');
    expect(
      await request(PIPELINE, [policy], 's3:ListBucket', 'arn:aws:s3:::models-prod', BEFORE, {
        's3:prefix': 'eval/',
      }),
    ).toBe('ImplicitlyDenied');
  });
});

describe('standing access removed, and the grant as the way back', () => {
  it('the standing-access Deny stops what the principal\u2019s own policies allow', async () => {
    expect(await request(PIPELINE, [STANDING], 's3:GetObject', OBJECT, BEFORE)).toBe('Allowed');
    expect(
      await request(PIPELINE, [STANDING, standingAccessDeny('models-prod')], 's3:GetObject', OBJECT, BEFORE),
    ).toBe('ExplicitlyDenied');
    expect(
      await request(
        PIPELINE,
        [STANDING, standingAccessDeny('models-prod')],
        's3:ListBucket',
        'arn:aws:s3:::models-prod',
        BEFORE,
      ),
    ).toBe('ExplicitlyDenied');
  });

  it('a grant to a denied principal opens the Deny until expiry: allowed before, denied again after', async () => {
    const deny = standingAccessDeny('models-prod');
    const policies = grant('read', { standingDeny: deny });
    expect(policies).toHaveLength(2);
    expect(await request(PIPELINE, [STANDING, ...policies], 's3:GetObject', OBJECT, BEFORE)).toBe('Allowed');
    expect(await request(PIPELINE, [STANDING, ...policies], 's3:GetObject', OBJECT, AFTER)).toBe(
      'ExplicitlyDenied',
    );
    expect(await request(PIPELINE, [STANDING, ...policies], 's3:PutObject', OBJECT, AFTER)).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('awsGrantChange refuses what it must not grant', () => {
  const ask = (over: Partial<Parameters<typeof awsGrantChange>[0]>) => () =>
    awsGrantChange({
      config: awsConfig(),
      principal: PIPELINE,
      bucket: 'models-prod',
      access: 'read',
      startsAt: START,
      expiresAt: EXPIRY,
      grantId: 'aws-grant-0001',
      reason: 'r',
      standingDeny: null,
      ...over,
    });
  it.each([
    [{ principal: `arn:aws:iam::${ACCOUNT}:role/ir-responder` }, /responder or break-glass/],
    [{ principal: `arn:aws:iam::${ACCOUNT}:user/breakglass` }, /responder or break-glass/],
    [{ principal: 'arn:aws:iam::999988887777:role/x' }, /not in aws.accounts/],
    [{ bucket: 'logs' }, /not one of aws.assets/],
    [{ expiresAt: new Date(START.getTime() + 13 * 3_600_000) }, /at most posture.maxGrantHours = 12 h/],
    [{ principal: `arn:aws:iam::${ACCOUNT}:root` }, /role or user ARN/],
  ])('%j', (over, message) => {
    expect(ask(over)).toThrow(message);
  });
});
