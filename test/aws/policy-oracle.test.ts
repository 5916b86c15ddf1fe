/**
 * Every policy document Tourniquet writes, evaluated by an independent IAM simulator
 * (@cloud-copilot/iam-simulate, AGPL: tests only). The simulator does not derive request context:
 * `aws:PrincipalArn` (the role ARN *with* its path for every session of a role) and
 * `aws:TokenIssueTime` are passed by hand, as IAM would set them (IAM User Guide, global condition
 * context keys; id_roles_use_revoke-sessions).
 */
import {
  anonymousPrincipal,
  runSimulation,
  type Simulation,
  type SimulationIdentityPolicy,
} from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { withOwnRolesExempt } from '../../functions-aws/clients.ts';
import {
  exemptPrincipalArns,
  mergeStatement,
  quarantineStatement,
  removeStatement,
  sessionRevocationPolicy,
} from '../../packs/aws/policies.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';

const BUCKET = 'models-prod';
const OBJECT = `arn:aws:s3:::${BUCKET}/weights/model-00001.safetensors`;
const REQUESTS = [
  ['s3:GetObject', OBJECT],
  ['s3:PutObject', OBJECT],
  ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`],
] as const;

const iamArn = (path: string) => `arn:aws:iam::${ACCOUNT}:${path}`;
/** Who asks: the principal S3 sees, and the `aws:PrincipalArn` IAM puts in the request context. */
const who = {
  attackerSession: {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/etl-job/i-0b22a22eec53b9321`,
    principalArn: iamArn('role/etl-job'),
  },
  attackerUser: { principal: iamArn('user/mallory'), principalArn: iamArn('user/mallory') },
  responderWithPath: {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ir-responder/alice`,
    principalArn: iamArn('role/ops/ir-responder'),
  },
  responder: {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ir-responder/bob`,
    principalArn: iamArn('role/ir-responder'),
  },
  breakGlass: { principal: iamArn('user/breakglass'), principalArn: iamArn('user/breakglass') },
  lookalike: {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ir-responder-x/eve`,
    principalArn: iamArn('role/ops/ir-responder-x'),
  },
};

/** The bucket owner's policy before the incident: the team, the responders, and a public read. */
const OWNER_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Team',
      Effect: 'Allow',
      Principal: {
        AWS: [
          iamArn('role/etl-job'),
          iamArn('user/mallory'),
          iamArn('role/ops/ir-responder'),
          iamArn('role/ir-responder'),
          iamArn('user/breakglass'),
          iamArn('role/ops/ir-responder-x'),
        ],
      },
      Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
    },
    {
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    },
  ],
});
/** As configured: responders and break-glass named without paths. */
const EXEMPT = exemptPrincipalArns([iamArn('role/ir-responder'), iamArn('user/breakglass')]);
const FIRST = quarantineStatement(BUCKET, EXEMPT, 'aws-guardduty-5c1f0e9a7b3d2c41a9e8');
const SECOND = quarantineStatement(BUCKET, EXEMPT, 'aws-macie-0d4b7a1e9c2f3a5b6c7d');
const QUARANTINED = JSON.parse(mergeStatement(OWNER_POLICY, FIRST));
/** Two incidents on the bucket: both statements merged, then each one released alone. */
const TWICE = mergeStatement(mergeStatement(OWNER_POLICY, FIRST), SECOND);
const TWO_INCIDENTS = [
  ['both statements', JSON.parse(TWICE)],
  ['the second after the first is released', JSON.parse(removeStatement(TWICE, FIRST.Sid ?? '') ?? '')],
  ['the first after the second is released', JSON.parse(removeStatement(TWICE, SECOND.Sid ?? '') ?? '')],
] as const;

async function evaluate(
  request: { principal: string; principalArn?: string; tokenIssueTime?: string } | 'anonymous',
  action: string,
  resource: string,
  policies: { resource?: unknown; identity?: SimulationIdentityPolicy[] },
): Promise<string> {
  const anonymous = request === 'anonymous';
  const context: Record<string, string> = {};
  if (!anonymous && request.principalArn) context['aws:PrincipalArn'] = request.principalArn;
  if (!anonymous && request.tokenIssueTime) context['aws:TokenIssueTime'] = request.tokenIssueTime;
  const simulation: Simulation = {
    request: {
      principal: anonymous ? anonymousPrincipal : request.principal,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: anonymous ? [] : (policies.identity ?? []),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.resource ? { resourcePolicy: policies.resource as Simulation['resourcePolicy'] } : {}),
  } as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

describe('quarantine bucket policy (merged into an existing Allow policy)', () => {
  it.each(REQUESTS)(
    'the attacker was allowed %s before the quarantine (the test is not vacuous)',
    async (action, resource) => {
      expect(
        await evaluate(who.attackerSession, action, resource, { resource: JSON.parse(OWNER_POLICY) }),
      ).toBe('Allowed');
      expect(
        await evaluate('anonymous', 's3:GetObject', OBJECT, { resource: JSON.parse(OWNER_POLICY) }),
      ).toBe('Allowed');
    },
  );

  it.each(REQUESTS)('denies the attacker (role session and IAM user) %s', async (action, resource) => {
    expect(await evaluate(who.attackerSession, action, resource, { resource: QUARANTINED })).toBe(
      'ExplicitlyDenied',
    );
    expect(await evaluate(who.attackerUser, action, resource, { resource: QUARANTINED })).toBe(
      'ExplicitlyDenied',
    );
  });

  it.each(REQUESTS)(
    'still lets responders (with and without a role path) and break-glass %s',
    async (action, resource) => {
      for (const principal of [who.responderWithPath, who.responder, who.breakGlass]) {
        expect(await evaluate(principal, action, resource, { resource: QUARANTINED })).toBe('Allowed');
      }
    },
  );

  it('denies anonymous callers even though the owner policy allowed public reads', async () => {
    expect(await evaluate('anonymous', 's3:GetObject', OBJECT, { resource: QUARANTINED })).toBe(
      'ExplicitlyDenied',
    );
  });

  it('denies a look-alike role whose name only starts like a responder', async () => {
    expect(await evaluate(who.lookalike, 's3:GetObject', OBJECT, { resource: QUARANTINED })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('two incidents quarantining one bucket', () => {
  it('gives each incident its own statement', () => {
    expect(JSON.parse(TWICE).Statement.map((x: { Sid: string }) => x.Sid)).toEqual([
      'Team',
      'PublicRead',
      FIRST.Sid,
      SECOND.Sid,
    ]);
  });

  it.each(TWO_INCIDENTS)('%s: denies the attacker and anonymous callers', async (_name, policy) => {
    for (const [action, resource] of REQUESTS) {
      expect(await evaluate(who.attackerSession, action, resource, { resource: policy })).toBe(
        'ExplicitlyDenied',
      );
      expect(await evaluate(who.attackerUser, action, resource, { resource: policy })).toBe(
        'ExplicitlyDenied',
      );
    }
    expect(await evaluate('anonymous', 's3:GetObject', OBJECT, { resource: policy })).toBe(
      'ExplicitlyDenied',
    );
  });

  it.each(TWO_INCIDENTS)('%s: still lets responders and break-glass act', async (_name, policy) => {
    for (const [action, resource] of REQUESTS) {
      for (const principal of [who.responderWithPath, who.responder, who.breakGlass]) {
        expect(await evaluate(principal, action, resource, { resource: policy })).toBe('Allowed');
      }
    }
  });
});

describe('Tourniquet’s own role on a bucket it quarantined', () => {
  const own = {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/tourniquet-prod-responder/tourniquet-prod-contain`,
    principalArn: iamArn('role/tourniquet-prod-responder'),
  };
  const identity: SimulationIdentityPolicy[] = [
    {
      name: 'executors',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    },
  ];
  const quarantinedFor = (config: Config) => {
    const action = decide(exfiltrationAlert(), config, {
      packs: PACKS,
      now: new Date('2026-11-25T10:00:00Z'),
    }).actions.find((a) => a.kind === 'quarantine-bucket');
    if (action?.kind !== 'quarantine-bucket') throw new Error('no quarantine planned');
    return JSON.parse(mergeStatement(OWNER_POLICY, action.params.statement));
  };
  const steps = [
    ['s3:GetObject', OBJECT], // CopyObject's source read
    ['s3:PutObjectLegalHold', OBJECT],
    ['s3:PutBucketPolicy', `arn:aws:s3:::${BUCKET}`], // release
  ] as const;

  it.each(steps)('is locked out of %s unless it is exempt', async (action, resource) => {
    expect(await evaluate(own, action, resource, { resource: quarantinedFor(awsConfig()), identity })).toBe(
      'ExplicitlyDenied',
    );
  });

  it.each(steps)('keeps %s once withOwnRolesExempt adds it to the responders', async (action, resource) => {
    const config = withOwnRolesExempt(awsConfig(), iamArn('role/tourniquet-prod-responder'), ACCOUNT);
    expect(await evaluate(own, action, resource, { resource: quarantinedFor(config), identity })).toBe(
      'Allowed',
    );
    expect(
      await evaluate(who.attackerSession, action, resource, { resource: quarantinedFor(config), identity }),
    ).toBe('ExplicitlyDenied');
  });
});

describe('session revocation policy', () => {
  const revokedAt = new Date('2026-11-25T10:00:01.200Z');
  const identity: SimulationIdentityPolicy[] = [
    {
      name: 'etl-job-permissions',
      policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' }],
      },
    },
    { name: 'tourniquet-revoke', policy: sessionRevocationPolicy(revokedAt) },
  ];
  const session = (tokenIssueTime: string) => ({ ...who.attackerSession, tokenIssueTime });

  it.each([
    ['s3:GetObject', OBJECT],
    ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`],
    ['iam:CreateAccessKey', iamArn('user/mallory')],
  ])('denies %s to sessions issued before the revocation', async (action, resource) => {
    expect(await evaluate(session('2026-11-25T09:12:44Z'), action, resource, { identity })).toBe(
      'ExplicitlyDenied',
    );
    expect(await evaluate(session('2026-11-25T10:00:01Z'), action, resource, { identity })).toBe(
      'ExplicitlyDenied',
    );
  });

  it('allows sessions issued after it (the role works again for new, legitimate sessions)', async () => {
    expect(await evaluate(session('2026-11-25T10:00:02Z'), 's3:GetObject', OBJECT, { identity })).toBe(
      'Allowed',
    );
    expect(await evaluate(session('2026-11-25T11:30:00Z'), 's3:GetObject', OBJECT, { identity })).toBe(
      'Allowed',
    );
  });

  it('applies the same way to an IAM user’s sessions', async () => {
    const user = { ...who.attackerUser, tokenIssueTime: '2026-11-25T09:59:00Z' };
    expect(await evaluate(user, 's3:GetObject', OBJECT, { identity })).toBe('ExplicitlyDenied');
  });

  it('does not stop a long-term access key (no token issue time): why keys are deactivated too', async () => {
    expect(await evaluate(who.attackerUser, 's3:GetObject', OBJECT, { identity })).toBe('Allowed');
  });
});
