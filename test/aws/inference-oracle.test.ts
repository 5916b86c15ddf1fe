/**
 * The inference deny, evaluated by an independent IAM simulator (@cloud-copilot/iam-simulate,
 * AGPL: tests only). The simulator does not derive request context: `aws:userid` (a role
 * session's is `<role id>:<session name>`), `aws:PrincipalArn` and `aws:TokenIssueTime` are passed
 * as IAM would set them (IAM User Guide, global condition context keys).
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import type { DenyInference } from '../../packs/aws/actions.ts';
import { INFERENCE_ACTIONS, INFERENCE_OPERATIONS } from '../../packs/aws/inference-policies.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert, role, user } from '../support/alerts.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';

const NOW = new Date('2026-11-26T09:15:00.000Z');
const BEFORE = '2026-11-26T08:02:11Z';
const AFTER = '2026-11-26T09:30:00Z';
const ROLE_ID = 'AROAEXAMPLERAGAPP001';

/** What the application role may do today: invoke every model and endpoint. */
const APP_POLICY = {
  name: 'app-access',
  policy: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['bedrock:*', 'sagemaker:*'], Resource: '*' }],
  },
};

function planFor(principal: ReturnType<typeof role>): DenyInference {
  const alert = exfiltrationAlert({
    type: 'Impact:IAMUser/AnomalousModelInvocation',
    severity: 2,
    principal,
    resources: [],
  });
  const d = decide(alert, awsConfig(), { packs: PACKS, now: NOW });
  const action = d.actions.find((a): a is DenyInference => a.kind === 'deny-inference');
  if (!action) throw new Error(`no deny-inference planned: ${d.reason}`);
  return action;
}

async function evaluate(
  who: { principal: string; userId: string; principalArn: string; issued?: string },
  action: string,
  policies: { name: string; policy: unknown }[],
): Promise<string> {
  const simulation = {
    request: {
      principal: who.principal,
      action,
      resource: { resource: '*', accountId: ACCOUNT },
      contextVariables: {
        'aws:userid': who.userId,
        'aws:PrincipalArn': who.principalArn,
        ...(who.issued ? { 'aws:TokenIssueTime': who.issued } : {}),
      },
    },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  } as unknown as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

const roleArn = `arn:aws:iam::${ACCOUNT}:role/rag-app-role`;
const sessionOf = (name: string, issued = BEFORE) => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/rag-app-role/${name}`,
  userId: `${ROLE_ID}:${name}`,
  principalArn: roleArn,
  issued,
});
const responder = {
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ir-responder/alice`,
  userId: 'AROAEXAMPLERESPOND1:alice',
  principalArn: `arn:aws:iam::${ACCOUNT}:role/ir-responder`,
  issued: BEFORE,
};

describe('the inference deny (IAM simulator)', () => {
  const named = planFor({
    ...role('rag-app-role'),
    aliases: [{ type: 'principal-id', value: `${ROLE_ID}:dev-carol` }],
  });
  const withDeny = [APP_POLICY, { name: named.params.policyName, policy: named.params.policyDocument }];

  it('names only real IAM actions, and every operation GuardDuty lists maps onto one of them', async () => {
    const allowAll = [
      {
        name: 'all',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
    ];
    for (const action of INFERENCE_ACTIONS)
      expect(await evaluate(responder, action, allowAll), action).toBe('Allowed');
    // Converse and ConverseStream are API operations, not IAM actions: the oracle can say no.
    await expect(evaluate(responder, 'bedrock:Converse', allowAll)).rejects.toThrow(/simulation error/);
    expect(Object.values(INFERENCE_OPERATIONS).every((a) => INFERENCE_ACTIONS.includes(a))).toBe(true);
  });

  it.each(INFERENCE_ACTIONS)(
    'the session the finding names was allowed %s before (the test is not vacuous)',
    async (action) => {
      expect(await evaluate(sessionOf('dev-carol'), action, [APP_POLICY])).toBe('Allowed');
    },
  );

  it.each(INFERENCE_ACTIONS)('denies that session %s', async (action) => {
    expect(await evaluate(sessionOf('dev-carol'), action, withDeny)).toBe('ExplicitlyDenied');
  });

  it.each(INFERENCE_ACTIONS)('leaves the role’s other sessions %s', async (action) => {
    expect(await evaluate(sessionOf('i-0a1b2c3d4e5f60718'), action, withDeny)).toBe('Allowed');
  });

  it.each(INFERENCE_ACTIONS)('leaves the responders %s', async (action) => {
    expect(await evaluate(responder, action, [APP_POLICY])).toBe('Allowed');
  });

  it('when no session is named: denies the role’s sessions issued before the incident, not those after', async () => {
    const all = planFor({ ...role('rag-app-role'), aliases: [] });
    const policies = [APP_POLICY, { name: all.params.policyName, policy: all.params.policyDocument }];
    for (const action of INFERENCE_ACTIONS) {
      expect(await evaluate(sessionOf('i-0a1b2c3d4e5f60718'), action, policies), action).toBe(
        'ExplicitlyDenied',
      );
      expect(await evaluate(sessionOf('i-0a1b2c3d4e5f60718', AFTER), action, policies), action).toBe(
        'Allowed',
      );
    }
  });

  it('denies an IAM user every inference action, whatever its credentials', async () => {
    const u = planFor(user('ci-bot'));
    const policies = [APP_POLICY, { name: u.params.policyName, policy: u.params.policyDocument }];
    const ciBot = {
      principal: `arn:aws:iam::${ACCOUNT}:user/ci-bot`,
      userId: 'AIDAEXAMPLECIBOT0001',
      principalArn: `arn:aws:iam::${ACCOUNT}:user/ci-bot`,
    };
    for (const action of INFERENCE_ACTIONS)
      expect(await evaluate(ciBot, action, policies), action).toBe('ExplicitlyDenied');
    // Not a blanket deny: the user's other work goes on.
    expect(await evaluate(ciBot, 'bedrock:ListFoundationModels', policies)).toBe('Allowed');
  });
});

describe('the model isolation (a service control policy, IAM simulator)', () => {
  const MODEL = `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/k2a7sd9xk3mp`;
  const OTHER = `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/zz91other00`;
  const isolation = () => {
    const alert = exfiltrationAlert({
      type: 'Impact:IAMUser/AnomalousModelInvocation',
      severity: 2,
      principal: {
        ...role('rag-app-role'),
        aliases: [{ type: 'principal-id', value: `${ROLE_ID}:dev-carol` }],
      },
      resources: [{ kind: 'model', id: MODEL }],
    });
    const config = awsConfig({
      aws: {
        ...awsConfig().aws,
        inference: { isolateModels: [`arn:aws:bedrock:*:${ACCOUNT}:imported-model/*`] },
      },
    });
    const d = decide(alert, config, { packs: PACKS, now: NOW });
    const action = d.actions.find((a) => a.kind === 'isolate-model');
    if (action?.kind !== 'isolate-model') throw new Error(`no isolate-model planned: ${d.reason}`);
    return action;
  };

  async function underScp(who: typeof responder, action: string, resource: string) {
    const scp = isolation().params.policyDocument;
    const simulation = {
      request: {
        principal: who.principal,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:userid': who.userId, 'aws:PrincipalArn': who.principalArn },
      },
      identityPolicies: [APP_POLICY],
      serviceControlPolicies: [
        {
          orgIdentifier: 'ou-root',
          policies: [
            {
              name: 'FullAWSAccess',
              policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
            },
            { name: 'tourniquet', policy: scp },
          ],
        },
      ],
      resourceControlPolicies: [],
    } as unknown as Simulation;
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
  }

  it.each(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'])(
    'denies %s of the model to every session of every role',
    async (action) => {
      expect(await underScp(sessionOf('i-0a1b2c3d4e5f60718', AFTER), action, MODEL)).toBe('ExplicitlyDenied');
      expect(await underScp(sessionOf('dev-carol', AFTER), action, MODEL)).toBe('ExplicitlyDenied');
    },
  );

  it.each(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'])(
    'leaves the responders %s, and every other model',
    async (action) => {
      expect(await underScp(responder, action, MODEL)).toBe('Allowed');
      expect(await underScp(sessionOf('i-0a1b2c3d4e5f60718', AFTER), action, OTHER)).toBe('Allowed');
    },
  );

  it('is planned only for models aws.inference.isolateModels names, and says what it leaves open', () => {
    const alert = exfiltrationAlert({
      type: 'Impact:IAMUser/AnomalousModelInvocation',
      severity: 2,
      principal: user('ci-bot'),
      resources: [{ kind: 'model', id: OTHER }],
    });
    const config = awsConfig({ aws: { ...awsConfig().aws, inference: { isolateModels: [MODEL] } } });
    const d = decide(alert, config, { packs: PACKS, now: NOW });
    expect(d.actions.some((a) => a.kind === 'isolate-model')).toBe(false);
    expect(d.actions.at(-1)?.params).toMatchObject({
      reason: expect.stringContaining(`${OTHER} is not in aws.inference.isolateModels`),
    });
  });
});
