/**
 * Surgical containment of one session of a shared workload role (issue 7), evaluated by an
 * independent IAM simulator (@cloud-copilot/iam-simulate, AGPL: tests only). The alert is the
 * documented GuardDuty S3 finding for an assumed role, parsed as delivered (its
 * `accessKeyDetails.principalId` is `AROA…:<session>`); the plan's own policy document is
 * evaluated. The simulator does not derive request context, so `aws:userid`, `aws:PrincipalArn`
 * and `aws:TokenIssueTime` are passed as IAM sets them for a role session (IAM User Guide, global
 * condition context keys: a role session's `aws:userid` is `<role id>:<session name>`).
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { principalFromCaller } from '../../functions-aws/events/caller.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import type { RevokeRoleSessions } from '../../packs/aws/actions.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import { fixture } from './events/fixtures.ts';

const NOW = new Date('2026-11-26T09:15:00.000Z');
const BEFORE = '2026-11-26T08:02:11Z';
const AFTER = '2026-11-26T09:30:00Z';
const ROLE = 'llm-finetune-role';
const ROLE_ID = 'AROAEXAMPLEFINETUNE1';
const ATTACKER = 'botocore-session-1764064512';
const roleArn = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;

/** What the fine-tuning role may do today: read the weights and training data, invoke models. */
const WORKLOAD_POLICY = {
  name: 'finetune-access',
  policy: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:*', 'bedrock:*', 'sts:AssumeRole'], Resource: '*' }],
  },
};

/** Actions and resources the attacker's session used or could use next. */
const CALLS: [string, string][] = [
  ['s3:GetObject', 'arn:aws:s3:::models-prod/weights/shard-00001-of-00038.safetensors'],
  ['s3:ListBucket', 'arn:aws:s3:::models-prod'],
  ['s3:PutObject', 'arn:aws:s3:::training-data/upload.jsonl'],
  ['bedrock:InvokeModel', `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/k2a7sd9xk3mp`],
  ['s3:DeleteObject', 'arn:aws:s3:::models-prod/weights/shard-00002-of-00038.safetensors'],
  ['sts:AssumeRole', roleArn],
];

const sharedConfig = () => awsConfig({ detect: { knownReaders: [roleArn] } });

function parsed(mutate: (f: ReturnType<typeof fixture>) => void = () => {}): Alert {
  const event = fixture('events', 'guardduty-s3-exfiltration-assumed-role.json');
  mutate(event);
  const out = parseAwsEvent(event);
  if (out.kind !== 'alerts' || !out.alerts[0]) throw new Error(`not parsed: ${JSON.stringify(out)}`);
  return out.alerts[0];
}

function plan(alert: Alert, config = sharedConfig()) {
  const d = decide(alert, config, { packs: PACKS, now: NOW });
  const revoke = d.actions.find((a): a is RevokeRoleSessions => a.kind === 'revoke-role-sessions');
  if (!revoke) throw new Error(`no revoke-role-sessions planned: ${d.reason}`);
  const escalate = d.actions.find((a) => a.kind === 'escalate');
  // What the plan tells the responder: the escalation every plan that leaves something open carries.
  const told = escalate && 'reason' in escalate.params ? String(escalate.params.reason) : '';
  return { decision: d, revoke, told };
}

const session = (name: string, issued = BEFORE) => ({
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/${name}`,
  userId: `${ROLE_ID}:${name}`,
  issued,
});

async function evaluate(
  who: ReturnType<typeof session>,
  [action, resource]: [string, string],
  policies: { name: string; policy: unknown }[],
): Promise<string> {
  const simulation = {
    request: {
      principal: who.principal,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: {
        'aws:userid': who.userId,
        'aws:PrincipalArn': roleArn,
        'aws:TokenIssueTime': who.issued,
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

const withDeny = (revoke: RevokeRoleSessions) => [
  WORKLOAD_POLICY,
  { name: revoke.params.policyName, policy: revoke.params.policyDocument },
];

describe('one session of a shared workload role revoked (IAM simulator)', () => {
  const alert = parsed();
  const { told, revoke } = plan(alert);

  it('the parser names the session as the actor, the role as the principal', () => {
    expect(alert.principal?.id).toBe(roleArn);
    expect(alert.actor).toEqual({
      id: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/${ATTACKER}`,
      kind: 'session',
      session: `${ROLE_ID}:${ATTACKER}`,
    });
  });

  it('plans a deny pinned to that session, says so, and records its inverse', () => {
    expect(revoke.params.session).toBe(`${ROLE_ID}:${ATTACKER}`);
    expect(revoke.params.policyDocument.Statement).toEqual([
      {
        Sid: 'TourniquetRevokeSession',
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { StringEquals: { 'aws:userid': `${ROLE_ID}:${ATTACKER}` } },
      },
    ]);
    expect(revoke.inverse).toBe(`DeleteRolePolicy ${revoke.params.policyName}`);
    expect(told).toContain(`only session ${ATTACKER} of shared workload role ${ROLE} revoked`);
  });

  it.each(CALLS)('the attacker session was allowed %s before (not vacuous)', async (action, resource) => {
    expect(await evaluate(session(ATTACKER), [action, resource], [WORKLOAD_POLICY])).toBe('Allowed');
  });

  it.each(CALLS)('denies the attacker session %s', async (action, resource) => {
    expect(await evaluate(session(ATTACKER), [action, resource], withDeny(revoke))).toBe('ExplicitlyDenied');
    // Fresh credentials under the same session name are the same aws:userid: still denied.
    expect(await evaluate(session(ATTACKER, AFTER), [action, resource], withDeny(revoke))).toBe(
      'ExplicitlyDenied',
    );
  });

  it.each(CALLS)('leaves the role’s other live sessions %s', async (action, resource) => {
    for (const other of ['i-0a1b2c3d4e5f60718', 'botocore-session-1764064513', 'finetune-job-42'])
      expect(await evaluate(session(other), [action, resource], withDeny(revoke)), other).toBe('Allowed');
  });

  it.each(CALLS)('leaves new sessions of the role %s', async (action, resource) => {
    expect(await evaluate(session('scale-out-7', AFTER), [action, resource], withDeny(revoke))).toBe(
      'Allowed',
    );
  });
});

describe('falls back to the whole role, and says so', () => {
  it('a shared workload role whose session the alert does not pin: every session issued before now', async () => {
    const { told, revoke } = plan(
      parsed((e) => {
        delete e.detail.resource.accessKeyDetails.principalId;
      }),
    );
    expect(revoke.params.session).toBeUndefined();
    expect(told).toContain(`WHOLE ROLE revoked: ${ROLE} is a shared workload role`);
    for (const call of CALLS) {
      expect(await evaluate(session('i-0a1b2c3d4e5f60718'), call, withDeny(revoke)), call[0]).toBe(
        'ExplicitlyDenied',
      );
      expect(await evaluate(session('scale-out-7', AFTER), call, withDeny(revoke)), call[0]).toBe('Allowed');
    }
  });

  it('a role no workload pattern names is revoked whole, even when the session is pinned', async () => {
    const { told, revoke } = plan(parsed(), awsConfig());
    expect(revoke.params.session).toBeUndefined();
    expect(told).not.toContain('shared workload role');
    expect(
      await evaluate(session('i-0a1b2c3d4e5f60718'), CALLS[0] as [string, string], withDeny(revoke)),
    ).toBe('ExplicitlyDenied');
  });

  it('a malformed principal id (not AROA…:<session>) pins nothing', () => {
    const { revoke } = plan(
      parsed((e) => {
        e.detail.resource.accessKeyDetails.principalId = 'AROAEXAMPLEFINETUNE1';
      }),
    );
    expect(revoke.params.session).toBeUndefined();
  });
});

describe('a session pinned by its source identity (CloudTrail sessionContext.sourceIdentity)', () => {
  it('the CloudTrail caller keeps the source identity as an alias', () => {
    const p = principalFromCaller(
      {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/job-7`,
        sessionIssuerArn: roleArn,
        sourceIdentity: 'alice@example.com',
      },
      ACCOUNT,
    );
    expect(p?.aliases).toContainEqual({ type: 'source-identity', value: 'alice@example.com' });
  });

  it('denies the sessions carrying it, and no others', async () => {
    const alert = parsed((e) => {
      delete e.detail.resource.accessKeyDetails.principalId;
    });
    const principal = alert.principal;
    if (!principal) throw new Error('no principal');
    const { revoke } = plan({
      ...alert,
      principal: { ...principal, aliases: [{ type: 'source-identity', value: 'alice@example.com' }] },
    });
    expect(revoke.params.session).toBe('SourceIdentity=alice@example.com');
    const policies = withDeny(revoke);
    const as = async (sourceIdentity: string | undefined, call: [string, string]) => {
      const simulation = {
        request: {
          principal: session('job-7').principal,
          action: call[0],
          resource: { resource: call[1], accountId: ACCOUNT },
          contextVariables: {
            'aws:userid': session('job-7').userId,
            'aws:PrincipalArn': roleArn,
            'aws:TokenIssueTime': BEFORE,
            ...(sourceIdentity ? { 'aws:SourceIdentity': sourceIdentity } : {}),
          },
        },
        identityPolicies: policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      } as unknown as Simulation;
      const result = await runSimulation(simulation, {});
      return result.resultType === 'error' ? 'error' : result.overallResult;
    };
    for (const call of CALLS) {
      expect(await as('alice@example.com', call), call[0]).toBe('ExplicitlyDenied');
      expect(await as('bob@example.com', call), call[0]).toBe('Allowed');
      expect(await as(undefined, call), call[0]).toBe('Allowed');
    }
  });
});
