/**
 * The exposure a bucket policy creates, judged by the parser (bucket-exposure.ts) and by an independent
 * IAM policy simulator (@cloud-copilot/iam-simulate, tests only): `public` when an anonymous caller may
 * read, `cross-account` when a principal of another account (outside the organization) may, else
 * `none`. Policy grammar: IAM User Guide "Policy elements"; S3 User Guide "The meaning of public".
 */
import {
  anonymousPrincipal,
  runSimulation,
  type Simulation,
  type SimulationRequestPrincipal,
} from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { aclExposure, policyExposure } from '../../../functions-aws/events/bucket-exposure.ts';
import { ACCOUNT, MEMBER } from '../../support/config.ts';

const OBJECTS = 'arn:aws:s3:::models-prod/*';
const allow = (extra: Record<string, unknown>) => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: OBJECTS,
  ...extra,
});
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const outsider = `arn:aws:iam::${MEMBER}:role/outsider`;

async function allowed(resourcePolicy: unknown, principal: SimulationRequestPrincipal): Promise<boolean> {
  const anonymous = principal === anonymousPrincipal;
  const result = await runSimulation(
    {
      request: {
        principal,
        action: 's3:GetObject',
        resource: { resource: 'arn:aws:s3:::models-prod/weights/model.safetensors', accountId: ACCOUNT },
        contextVariables: anonymous
          ? {}
          : {
              'aws:PrincipalAccount': MEMBER,
              'aws:PrincipalArn': outsider,
              'aws:PrincipalOrgID': 'o-outsider01',
            },
      },
      identityPolicies: anonymous
        ? []
        : [{ name: 'all', policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    } as Simulation,
    {},
  );
  // An invalid simulation must fail the test, not read as "denied".
  if (result.resultType === 'error') throw new Error(`simulation failed: ${JSON.stringify(result)}`);
  return result.overallResult === 'Allowed';
}

async function oracle(resourcePolicy: unknown): Promise<string> {
  if (await allowed(resourcePolicy, anonymousPrincipal)) return 'public';
  return (await allowed(resourcePolicy, outsider)) ? 'cross-account' : 'none';
}

const CASES: [string, unknown][] = [
  ['Principal "*"', policy(allow({ Principal: '*' }))],
  ['Principal {"AWS": "*"}', policy(allow({ Principal: { AWS: '*' } }))],
  [
    '"*" pinned to the organization',
    policy(allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })),
  ],
  [
    '"*" pinned to the own account',
    policy(allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } })),
  ],
  [
    '"*" pinned to another account',
    policy(allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': MEMBER } } })),
  ],
  [
    '"*" pinned to roles of another account',
    policy(
      allow({
        Principal: '*',
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${MEMBER}:role/*` } },
      }),
    ),
  ],
  [
    '"*" pinned to a VPC endpoint',
    policy(
      allow({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } } }),
    ),
  ],
  [
    '"*" with a negated condition',
    policy(
      allow({ Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
    ),
  ],
  [
    '"*" with an IfExists condition',
    policy(
      allow({ Principal: '*', Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } } }),
    ),
  ],
  ['another account by ARN', policy(allow({ Principal: { AWS: `arn:aws:iam::${MEMBER}:root` } }))],
  ['another account by id', policy(allow({ Principal: { AWS: [MEMBER] } }))],
  [
    'a role of the own account',
    policy(allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/llm-inference-role` } })),
  ],
  ['an AWS service', policy(allow({ Principal: { Service: 'logging.s3.amazonaws.com' } }))],
  ['NotPrincipal', policy(allow({ NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ir-responder` } }))],
  ['only a Deny', policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: OBJECTS })],
  [
    'the widest of several statements',
    policy(allow({ Principal: { AWS: MEMBER } }), allow({ Principal: '*' })),
  ],
];

describe('bucket policy exposure', () => {
  it.each(CASES)('agrees with the IAM simulator on %s', async (_name, p) => {
    expect(policyExposure(p, ACCOUNT, 'policy')).toBe(await oracle(p));
  });

  it('covers all three outcomes', async () => {
    const outcomes = new Set(await Promise.all(CASES.map(([, p]) => oracle(p))));
    expect(outcomes).toEqual(new Set(['public', 'cross-account', 'none']));
  });

  it('is stricter than S3 on aws:SourceIp: an address range says nothing about who the caller is', () => {
    const p = policy(
      allow({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
    );
    expect(policyExposure(p, ACCOUNT, 'policy')).toBe('public');
  });

  it('counts a canonical user as another account', () => {
    expect(
      policyExposure(policy(allow({ Principal: { CanonicalUser: 'a'.repeat(64) } })), ACCOUNT, 'p'),
    ).toBe('cross-account');
  });

  it('reads a policy given as JSON text, and rejects text that is not a policy', () => {
    expect(policyExposure(JSON.stringify(policy(allow({ Principal: '*' }))), ACCOUNT, 'p')).toBe('public');
    expect(() => policyExposure('{"Statement":', ACCOUNT, 'p')).toThrow(/not a readable JSON policy/);
    expect(() => policyExposure({ Version: '2012-10-17' }, ACCOUNT, 'p')).toThrow(/no readable "Statement"/);
  });
});

describe('bucket ACL exposure', () => {
  const owner = 'f'.repeat(64);
  const grant = (Grantee: Record<string, unknown>) => ({
    AccessControlPolicy: {
      Owner: { ID: owner },
      AccessControlList: {
        Grant: [
          { Grantee: { ID: owner }, Permission: 'FULL_CONTROL' },
          { Grantee, Permission: 'READ' },
        ],
      },
    },
  });
  it.each([
    ['a public canned ACL', { 'x-amz-acl': ['public-read'] }, 'public'],
    ['authenticated-read', { 'x-amz-acl': 'authenticated-read' }, 'public'],
    ['a private canned ACL', { 'x-amz-acl': ['private'] }, 'none'],
    ['a grant to AllUsers', grant({ URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }), 'public'],
    [
      'a grant to AuthenticatedUsers',
      grant({ URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }),
      'public',
    ],
    [
      'a grant to the log delivery group',
      grant({ URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }),
      'none',
    ],
    ['a grant to another canonical user', grant({ ID: 'e'.repeat(64) }), 'cross-account'],
    [
      'a grant header to AllUsers',
      { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
      'public',
    ],
    ['only the owner', grant({ ID: owner }), 'none'],
  ])('judges %s as %s', (_name, params, expected) => {
    expect(aclExposure(params)).toBe(expected);
  });
});
