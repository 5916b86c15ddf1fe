/**
 * The posture policy evaluator (packs/aws/posture/identities/policy-access.ts) against two
 * references: the IAM policy simulator (@cloud-copilot/iam-simulate) on generated identity
 * policies, and brute-force enumeration for the prefix-overlap shortcut.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../packs/aws/policies.ts';
import {
  bucketObjectAccess,
  coversPrefix,
  evaluateRequest,
  globMatch,
  overlapsPrefix,
} from '../../packs/aws/posture/identities/policy-access.ts';
import { ACCOUNT } from '../support/config.ts';

const ACTIONS = [
  's3:GetObject',
  's3:Get*',
  's3:*',
  '*',
  's3:PutObject',
  's3:Put*',
  'ec2:*',
  's3:GetObjectVersion',
  's3:?etObject',
  'S3:getobject',
];
const RESOURCES = [
  '*',
  'arn:aws:s3:::models-prod/*',
  'arn:aws:s3:::models-prod/weights/*',
  'arn:aws:s3:::models-*',
  'arn:aws:s3:::models-prod',
  'arn:aws:s3:::other/*',
  'arn:aws:s3:::*/weights/*',
];
const statement = fc
  .record(
    {
      Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
      action: fc.oneof(
        fc.record({ Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }) }),
        fc.record({ NotAction: fc.subarray(ACTIONS, { minLength: 1, maxLength: 2 }) }),
      ),
      resource: fc.oneof(
        fc.record({ Resource: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }) }),
        fc.record({ NotResource: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }) }),
      ),
    },
    { requiredKeys: ['Effect', 'action', 'resource'] },
  )
  .map(({ Effect, action, resource }) => ({ Effect, ...action, ...resource }) as PolicyStatement);
const REQUESTS = [
  ['s3:GetObject', 'arn:aws:s3:::models-prod/weights/model-00001.safetensors'],
  ['s3:PutObject', 'arn:aws:s3:::models-prod/config.json'],
  ['s3:GetObject', 'arn:aws:s3:::other/weights/x'],
  ['s3:ListBucket', 'arn:aws:s3:::models-prod'],
] as const;

async function simulate(statements: PolicyStatement[], action: string, resource: string): Promise<string> {
  const simulation = {
    request: {
      principal: `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline` },
    },
    identityPolicies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: statements } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const SIMULATOR: Record<string, string> = {
  allowed: 'Allowed',
  denied: 'ExplicitlyDenied',
  implicit: 'ImplicitlyDenied',
};

describe('evaluateRequest', () => {
  it('answers like the IAM simulator on generated identity policies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(statement, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...REQUESTS),
        async (statements, [action, resource]) => {
          const mine = evaluateRequest(statements, action, resource);
          expect(SIMULATOR[mine]).toBe(await simulate(statements, action, resource));
        },
      ),
      { numRuns: Number(process.env.POLICY_RUNS ?? 150), seed: 20260302 },
    );
  });

  it('takes an Allow under a condition as conditional and a conditional Deny as not applying', () => {
    const allow: PolicyStatement = {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::models-prod/*',
      Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
    };
    expect(evaluateRequest([allow], 's3:GetObject', 'arn:aws:s3:::models-prod/a')).toBe('conditional');
    const deny: PolicyStatement = { ...allow, Effect: 'Deny', Action: 's3:*', Resource: '*' };
    expect(
      evaluateRequest(
        [{ ...allow, Condition: undefined }, deny],
        's3:GetObject',
        'arn:aws:s3:::models-prod/a',
      ),
    ).toBe('allowed');
  });
});

describe('prefix overlap and cover', () => {
  const letters = ['a', 'b', '/'];
  const all: string[] = [''];
  for (let n = 1; n <= 7; n++)
    for (const s of all.filter((x) => x.length === n - 1)) for (const c of letters) all.push(s + c);
  const pattern = fc.array(fc.constantFrom('a', 'b', '/', '*', '?'), { maxLength: 4 }).map((p) => p.join(''));
  const prefix = fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 3 }).map((p) => p.join(''));

  it('overlapsPrefix: some string with the prefix matches the pattern, by enumeration', () => {
    fc.assert(
      fc.property(pattern, prefix, (p, x) => {
        const witness = all.some((s) => s.startsWith(x) && globMatch(p, s));
        expect(overlapsPrefix(p, x)).toBe(witness);
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('coversPrefix: every string with the prefix matches the pattern, by enumeration (never claimed falsely)', () => {
    fc.assert(
      fc.property(pattern, prefix, (p, x) => {
        if (coversPrefix(p, x))
          expect(all.filter((s) => s.startsWith(x)).every((s) => globMatch(p, s))).toBe(true);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});

describe('bucketObjectAccess', () => {
  it.each([
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::models-prod/weights/*' }, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::models-*' }, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::models-prod' }, 'implicit'],
    [{ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::other/*' }, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::models-prod/*' }, 'implicit'],
  ] as const)('%j on s3:GetObject of models-prod → %s', (s, verdict) => {
    expect(bucketObjectAccess([s as PolicyStatement], 'models-prod', 's3:GetObject').verdict).toBe(verdict);
  });

  it('is denied only by an unconditional Deny over every object', () => {
    const allow = { Effect: 'Allow', Action: 's3:*', Resource: '*' } as PolicyStatement;
    const part = {
      Effect: 'Deny',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::models-prod/secret/*',
    } as PolicyStatement;
    const whole = {
      Effect: 'Deny',
      Action: 's3:Get*',
      Resource: ['arn:aws:s3:::models-prod', 'arn:aws:s3:::models-prod/*'],
    } as PolicyStatement;
    expect(bucketObjectAccess([allow, part], 'models-prod', 's3:GetObject')).toEqual({
      verdict: 'allowed',
      statements: [0],
    });
    expect(bucketObjectAccess([allow, whole], 'models-prod', 's3:GetObject').verdict).toBe('denied');
  });
});
