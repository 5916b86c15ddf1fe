/**
 * The inference channel on AWS: the inline Deny on the inference actions (one session of a role,
 * the role's sessions issued before the incident, or an IAM user), and a user's Bedrock API keys
 * (IAM service-specific credentials for bedrock.amazonaws.com: ListServiceSpecificCredentials
 * pages with Marker / IsTruncated, UpdateServiceSpecificCredential takes UserName,
 * ServiceSpecificCredentialId, Status; IAM API Reference).
 */
import {
  DeleteRolePolicyCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserPolicyCommand,
  ListServiceSpecificCredentialsCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateServiceSpecificCredentialCommand,
} from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/alert.ts';
import { deactivateBedrockApiKeys } from '../../../functions-aws/executors/deactivate-bedrock-api-keys.ts';
import { denyInference } from '../../../functions-aws/executors/deny-inference.ts';
import { exfiltrationAlert, role, user } from '../../support/alerts.ts';
import { ACCOUNT } from '../../support/config.ts';
import { fakeIam } from './fake-iam.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

let fake: ReturnType<typeof fakeIam>;
afterEach(() => fake.mock.restore());

/** An AI Protection finding as the GuardDuty parser makes it, about `principal`. */
function aiAlert(principal: Alert['principal']): Alert {
  return exfiltrationAlert({
    type: 'Impact:IAMUser/AnomalousModelInvocation',
    severity: 2,
    principal,
    resources: [
      { kind: 'model', id: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku' },
    ],
  });
}
const session = (name: string, id: string) => ({
  ...role(name),
  aliases: [{ type: 'principal-id' as const, value: id }],
});

/** The documents IAM must receive, written out by hand (not derived from the code under test). */
const ACTIONS =
  '["bedrock:CallWithBearerToken","bedrock:InvokeAgent","bedrock:InvokeFlow","bedrock:InvokeInlineAgent",' +
  '"bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream","bedrock:Retrieve","bedrock:RetrieveAndGenerate",' +
  '"sagemaker:InvokeEndpoint","sagemaker:InvokeEndpointAsync","sagemaker:InvokeEndpointWithResponseStream"]';
const deny = (condition: string) =>
  `{"Version":"2012-10-17","Statement":[{"Sid":"TourniquetDenyInference","Effect":"Deny","Action":${ACTIONS},` +
  `"Resource":["*"]${condition}}]}`;

describe('deny-inference', () => {
  it.each([
    [
      'one session of a role, when the finding names it',
      session('rag-app-role', 'AROAEXAMPLERAGAPP001:dev-carol'),
      PutRolePolicyCommand,
      { RoleName: 'rag-app-role' },
      deny(',"Condition":{"StringEquals":{"aws:userid":"AROAEXAMPLERAGAPP001:dev-carol"}}'),
    ],
    [
      "a role's sessions issued before the incident, when no session is named",
      { ...role('rag-app-role'), aliases: [] },
      PutRolePolicyCommand,
      { RoleName: 'rag-app-role' },
      deny(',"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-11-25T10:00:02Z"}}'),
    ],
    ['every call of an IAM user', user('ci-bot'), PutUserPolicyCommand, { UserName: 'ci-bot' }, deny('')],
  ])('denies %s, with the exact document', async (_name, principal, Put, who, document) => {
    fake = fakeIam();
    fake.role('rag-app-role');
    fake.user('ci-bot');
    const action = plannedOf('deny-inference', aiAlert(principal));
    const executor = denyInference(homeClients);
    const out = await executor.apply(action, await executor.read(action, ctx()), ctx());
    expect(inputsOf(fake.mock, Put as never)).toEqual([
      {
        ...who,
        PolicyName: 'tourniquet-inference-aws-guardduty-2b3172ce4970bdd3e9af',
        PolicyDocument: document,
      },
    ]);
    expect(out.outcome).toBe('applied');
    // The same plan again is already applied: the recorded document is the one IAM holds.
    expect((await executor.apply(action, await executor.read(action, ctx()), ctx())).outcome).toBe(
      'already-applied',
    );
  });

  it('undoes by deleting exactly its own policy, and a second undo is already applied', async () => {
    fake = fakeIam();
    fake.role('rag-app-role');
    fake.roles.get('rag-app-role')?.inline.set('app-access', '{"Version":"2012-10-17","Statement":[]}');
    const action = plannedOf(
      'deny-inference',
      aiAlert(session('rag-app-role', 'AROAEXAMPLERAGAPP001:dev-carol')),
    );
    const executor = denyInference(homeClients);
    const before = await executor.read(action, ctx());
    await executor.apply(action, before, ctx());
    expect(await executor.undo(action, before, ctx())).toMatchObject({ outcome: 'applied' });
    expect(inputsOf(fake.mock, DeleteRolePolicyCommand)).toEqual([
      { RoleName: 'rag-app-role', PolicyName: 'tourniquet-inference-aws-guardduty-2b3172ce4970bdd3e9af' },
    ]);
    expect([...(fake.roles.get('rag-app-role')?.inline.keys() ?? [])]).toEqual(['app-access']);
    expect((await executor.undo(action, before, ctx())).outcome).toBe('already-applied');
    expect(fake.mock).not.toReceiveCommand(DeleteUserPolicyCommand);
  });

  it('declares the role and user inline policy calls it makes', () => {
    expect(denyInference(homeClients).permissions).toEqual([
      'iam:DeleteRolePolicy',
      'iam:DeleteUserPolicy',
      'iam:GetRolePolicy',
      'iam:GetUserPolicy',
      'iam:PutRolePolicy',
      'iam:PutUserPolicy',
    ]);
  });
});

describe('deactivate-bedrock-api-keys', () => {
  const KEYS = [
    { id: 'ACCAEXAMPLEBEDROCK01', status: 'Active' as const },
    { id: 'ACCAEXAMPLEBEDROCK02', status: 'Inactive' as const },
    { id: 'ACCAEXAMPLEBEDROCK03', status: 'Active' as const },
  ];
  function setup() {
    fake = fakeIam();
    fake.user(
      'ci-bot',
      [],
      KEYS.map((k) => ({ ...k })),
    );
    return {
      action: plannedOf('deactivate-bedrock-api-keys', aiAlert(user('ci-bot'))),
      executor: deactivateBedrockApiKeys(homeClients),
    };
  }
  const statuses = () => fake.users.get('ci-bot')?.bedrockKeys?.map((k) => k.status);

  it('reads every Bedrock API key of the user across pages, for bedrock.amazonaws.com only', async () => {
    const { action, executor } = setup();
    expect(await executor.read(action, ctx())).toEqual({
      keys: [
        { credentialId: 'ACCAEXAMPLEBEDROCK01', status: 'Active' },
        { credentialId: 'ACCAEXAMPLEBEDROCK02', status: 'Inactive' },
        { credentialId: 'ACCAEXAMPLEBEDROCK03', status: 'Active' },
      ],
    });
    expect(inputsOf(fake.mock, ListServiceSpecificCredentialsCommand as never)).toEqual([
      { UserName: 'ci-bot', ServiceName: 'bedrock.amazonaws.com' },
      { UserName: 'ci-bot', ServiceName: 'bedrock.amazonaws.com', Marker: '1' },
      { UserName: 'ci-bot', ServiceName: 'bedrock.amazonaws.com', Marker: '2' },
    ]);
  });

  it('sets the Active keys Inactive, deletes none, and undo reactivates exactly those', async () => {
    const { action, executor } = setup();
    const before = await executor.read(action, ctx());
    const out = await executor.apply(action, before, ctx());
    expect(inputsOf(fake.mock, UpdateServiceSpecificCredentialCommand)).toEqual([
      { UserName: 'ci-bot', ServiceSpecificCredentialId: 'ACCAEXAMPLEBEDROCK01', Status: 'Inactive' },
      { UserName: 'ci-bot', ServiceSpecificCredentialId: 'ACCAEXAMPLEBEDROCK03', Status: 'Inactive' },
    ]);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: {
        deactivated: ['ACCAEXAMPLEBEDROCK01', 'ACCAEXAMPLEBEDROCK03'],
        alreadyInactive: ['ACCAEXAMPLEBEDROCK02'],
      },
    });
    expect(statuses()).toEqual(['Inactive', 'Inactive', 'Inactive']);
    expect(fake.mock).not.toReceiveCommand(DeleteServiceSpecificCredentialCommand);
    await executor.undo(action, before, ctx());
    expect(statuses()).toEqual(['Active', 'Inactive', 'Active']);
  });

  it('is already applied for a user without Bedrock API keys', async () => {
    fake = fakeIam();
    fake.user('ci-bot');
    const action = plannedOf('deactivate-bedrock-api-keys', aiAlert(user('ci-bot')));
    const executor = deactivateBedrockApiKeys(homeClients);
    expect((await executor.apply(action, await executor.read(action, ctx()), ctx())).outcome).toBe(
      'already-applied',
    );
    expect(fake.mock).not.toReceiveCommand(UpdateServiceSpecificCredentialCommand);
  });

  it('is planned for every revoked IAM user: long-term Bedrock API keys sign no session the time-conditioned deny could stop', () => {
    const action = plannedOf(
      'deactivate-bedrock-api-keys',
      exfiltrationAlert({ principal: user('mallory') }),
    );
    expect(action).toMatchObject({
      category: 'revoke',
      target: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      params: { userName: 'mallory', serviceName: 'bedrock.amazonaws.com' },
    });
  });
});
