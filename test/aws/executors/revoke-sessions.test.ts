/**
 * Session revocation on roles and users. The document is the console's "Revoke active sessions"
 * policy (IAM User Guide, id_roles_use_revoke-sessions); GetRolePolicy/GetUserPolicy return it
 * URL-encoded (IAM API Reference); a full inline quota answers LimitExceeded ("Maximum policy size
 * of 10240 bytes exceeded for role …"), a service-linked role UnmodifiableEntity.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  LimitExceededException,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UnmodifiableEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError, TransientError } from '../../../core/errors.ts';
import type { Executor } from '../../../core/executor.ts';
import { revokeRoleSessions } from '../../../functions-aws/executors/revoke-role-sessions.ts';
import { revokeUserSessions } from '../../../functions-aws/executors/revoke-user-sessions.ts';
import { exfiltrationAlert, user } from '../../support/alerts.ts';
import { ACCOUNT, awsConfig } from '../../support/config.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());
const $metadata = { httpStatusCode: 409 };
/** Role and user commands differ only in RoleName/UserName: one table drives both. */
const anyCommand = (command: unknown) => command as never;

/** The exact text IAM must receive: written out by hand, not derived from the code under test. */
const DOCUMENT =
  '{"Version":"2012-10-17","Statement":[{"Sid":"TourniquetRevokeOlderSessions","Effect":"Deny",' +
  '"Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-11-25T10:00:02Z"}}}]}';

const cases = [
  {
    principal: 'role',
    name: 'etl-job',
    quota: '10,240',
    action: () => plannedOf('revoke-role-sessions'),
    executor: () => revokeRoleSessions(homeClients) as Executor,
    Get: anyCommand(GetRolePolicyCommand),
    Put: anyCommand(PutRolePolicyCommand),
    Delete: anyCommand(DeleteRolePolicyCommand),
    nameKey: 'RoleName',
  },
  {
    principal: 'user',
    name: 'mallory',
    quota: '2,048',
    action: () => plannedOf('revoke-user-sessions', exfiltrationAlert({ principal: user('mallory') })),
    executor: () => revokeUserSessions(homeClients) as Executor,
    Get: anyCommand(GetUserPolicyCommand),
    Put: anyCommand(PutUserPolicyCommand),
    Delete: anyCommand(DeleteUserPolicyCommand),
    nameKey: 'UserName',
  },
] as const;

describe.each(cases)('revoke-$principal-sessions', (c) => {
  const policyName = 'tourniquet-revoke-aws-guardduty-';

  it('reads the inline policy (absent on NoSuchEntity) and decodes what IAM URL-encodes', async () => {
    const action = c.action();
    iam
      .on(c.Get)
      .rejectsOnce(new NoSuchEntityException({ message: 'The policy cannot be found.', $metadata }));
    expect(await c.executor().read(action, ctx())).toEqual({ policyDocument: null });
    expect(inputsOf(iam, c.Get)[0]).toEqual({ [c.nameKey]: c.name, PolicyName: action.params.policyName });
    expect(action.params.policyName.startsWith(policyName)).toBe(true);

    iam.on(c.Get).resolves({
      PolicyName: action.params.policyName,
      PolicyDocument: encodeURIComponent(DOCUMENT),
    } as never);
    expect(await c.executor().read(action, ctx())).toEqual({ policyDocument: DOCUMENT });
  });

  it('puts the planned document, byte for byte, and states the residual window', async () => {
    const action = c.action();
    iam.on(c.Put).resolves({});
    const out = await c.executor().apply(action, { policyDocument: null }, ctx());
    expect(inputsOf(iam, c.Put)).toEqual([
      { [c.nameKey]: c.name, PolicyName: action.params.policyName, PolicyDocument: DOCUMENT },
    ]);
    expect(out.outcome).toBe('applied');
    expect(out.details).toMatchObject({
      issuedBefore: '2026-11-25T10:00:02Z',
      residual: expect.stringMatching(/propagate within seconds to minutes/),
    });
  });

  it('is already applied when the same document is in place, however IAM formats it', async () => {
    const pretty = JSON.stringify(JSON.parse(DOCUMENT), null, 4).replace('["*"]', '"*"');
    const out = await c.executor().apply(c.action(), { policyDocument: pretty }, ctx());
    expect(out.outcome).toBe('already-applied');
    expect(iam).not.toReceiveCommand(c.Put);
  });

  it.each([
    [
      'LimitExceeded',
      () =>
        new LimitExceededException({
          message: `Maximum policy size exceeded for ${c.principal} ${c.name}`,
          $metadata,
        }),
    ],
    [
      'MalformedPolicyDocument about size',
      () =>
        new MalformedPolicyDocumentException({
          message: 'Policy document length exceeds quota',
          $metadata: { httpStatusCode: 400 },
        }),
    ],
  ])('explains a full inline quota (%s) and what to do by hand', async (_n, error) => {
    iam.on(c.Put).rejects(error());
    // A role takes the managed-policy path: here its managed policy quota (10 per role) is full too.
    iam
      .on(AttachRolePolicyCommand)
      .rejects(
        new LimitExceededException({ message: 'Cannot exceed quota for PoliciesPerRole: 10', $metadata }),
      );
    const thrown = await c
      .executor()
      .apply(c.action(), { policyDocument: null }, ctx())
      .catch((e) => e);
    expect(thrown).toBeInstanceOf(ActionError);
    if (c.principal === 'role') {
      expect(thrown.message).toMatch(
        /both the inline policy quota and the managed policy quota of role etl-job/,
      );
      return;
    }
    expect(thrown.message).toContain(
      `${c.quota}-character aggregate inline policy quota of ${c.principal} ${c.name} is full`,
    );
    expect(thrown.message).toMatch(/customer managed policy/);
  });

  it('refuses a service-linked principal, rethrows other malformed-document errors, retries throttling', async () => {
    const apply = () => c.executor().apply(c.action(), { policyDocument: null }, ctx());
    const malformed = new MalformedPolicyDocumentException({
      message: 'Syntax errors in policy.',
      $metadata: { httpStatusCode: 400 },
    });
    iam
      .on(c.Put)
      .rejectsOnce(
        new UnmodifiableEntityException({
          message: 'Cannot perform the operation on the protected role',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .rejectsOnce(malformed)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(apply()).rejects.toThrow(/cannot take inline policies \(service-linked\)/);
    await expect(apply()).rejects.toBe(malformed);
    await expect(apply()).rejects.toBeInstanceOf(TransientError);
  });

  it('undoes by deleting exactly its own policy; already gone is already applied', async () => {
    const action = c.action();
    iam
      .on(c.Delete)
      .resolvesOnce({})
      .rejectsOnce(new NoSuchEntityException({ message: 'gone', $metadata }));
    // Nor is there a managed fallback policy (roles look for one when the inline policy is gone).
    iam.on(DetachRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata }));
    iam.on(DeletePolicyCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata }));
    expect((await c.executor().undo(action, { policyDocument: null }, ctx())).outcome).toBe('applied');
    expect((await c.executor().undo(action, { policyDocument: null }, ctx())).outcome).toBe(
      'already-applied',
    );
    expect(inputsOf(iam, c.Delete)).toEqual([
      { [c.nameKey]: c.name, PolicyName: action.params.policyName },
      { [c.nameKey]: c.name, PolicyName: action.params.policyName },
    ]);
  });
});

describe('one session of a shared workload role', () => {
  const SESSION = 'AROAEXAMPLEETLJOB001:etl-run-0815';
  const SESSION_DOCUMENT =
    '{"Version":"2012-10-17","Statement":[{"Sid":"TourniquetRevokeSession","Effect":"Deny",' +
    `"Action":["*"],"Resource":["*"],"Condition":{"StringEquals":{"aws:userid":"${SESSION}"}}}]}`;
  const action = () => {
    const base = exfiltrationAlert();
    const principal = base.principal;
    if (!principal) throw new Error('no principal');
    const alert = {
      ...base,
      principal: { ...principal, aliases: [{ type: 'principal-id' as const, value: SESSION }] },
    };
    const config = awsConfig({ detect: { knownReaders: [`arn:aws:iam::${ACCOUNT}:role/etl-job`] } });
    return plannedOf('revoke-role-sessions', alert, config);
  };

  it('puts the session-pinned document byte for byte, names the session; undo deletes exactly it', async () => {
    const a = action();
    expect(a.params.session).toBe(SESSION);
    iam.on(PutRolePolicyCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    const out = await revokeRoleSessions(homeClients).apply(a, { policyDocument: null }, ctx());
    expect(inputsOf(iam, PutRolePolicyCommand)).toEqual([
      { RoleName: 'etl-job', PolicyName: a.params.policyName, PolicyDocument: SESSION_DOCUMENT },
    ]);
    expect(out.details).toMatchObject({ session: SESSION });
    expect(a.inverse).toBe(`DeleteRolePolicy ${a.params.policyName}`);
    await revokeRoleSessions(homeClients).undo(a, { policyDocument: null }, ctx());
    expect(inputsOf(iam, DeleteRolePolicyCommand)).toEqual([
      { RoleName: 'etl-job', PolicyName: a.params.policyName },
    ]);
  });
});

describe('revoke-role-sessions with a full inline quota: the managed-policy path', () => {
  const quotaFull = () =>
    new LimitExceededException({
      message: 'Maximum policy size of 10240 bytes exceeded for role etl-job',
      $metadata: { httpStatusCode: 409 },
    });
  const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/tourniquet/${name}`;

  it('creates a customer managed policy with the same document and attaches it to the role', async () => {
    const action = plannedOf('revoke-role-sessions');
    const name = action.params.policyName;
    iam.on(PutRolePolicyCommand).rejects(quotaFull());
    iam.on(CreatePolicyCommand).resolves({ Policy: { Arn: arnOf(name) } });
    iam.on(AttachRolePolicyCommand).resolves({});
    const out = await revokeRoleSessions(homeClients).apply(action, { policyDocument: null }, ctx());
    expect(inputsOf(iam, CreatePolicyCommand)).toEqual([
      {
        PolicyName: name,
        Path: '/tourniquet/',
        PolicyDocument: DOCUMENT,
        Description: expect.stringMatching(/Tourniquet/),
      },
    ]);
    expect(inputsOf(iam, AttachRolePolicyCommand)).toEqual([{ RoleName: 'etl-job', PolicyArn: arnOf(name) }]);
    expect(out.outcome).toBe('applied');
    expect(out.details).toMatchObject({ path: 'managed-policy', managedPolicyArn: arnOf(name) });
  });

  it('on a retry, attaches the policy an earlier attempt created, only if its document is the plan’s', async () => {
    const action = plannedOf('revoke-role-sessions');
    const exists = () =>
      new EntityAlreadyExistsException({ message: 'A policy called … already exists.', $metadata });
    iam.on(PutRolePolicyCommand).rejects(quotaFull());
    iam.on(CreatePolicyCommand).rejects(exists());
    iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
    iam
      .on(GetPolicyVersionCommand)
      .resolvesOnce({ PolicyVersion: { Document: encodeURIComponent(DOCUMENT) } })
      .resolvesOnce({ PolicyVersion: { Document: encodeURIComponent('{"Statement":[]}') } });
    iam.on(AttachRolePolicyCommand).resolves({});
    const apply = () => revokeRoleSessions(homeClients).apply(action, { policyDocument: null }, ctx());
    expect((await apply()).details).toMatchObject({ path: 'managed-policy' });
    await expect(apply()).rejects.toThrow(/exists with another document/);
    expect(inputsOf(iam, AttachRolePolicyCommand)).toHaveLength(1);
  });

  it('says the inline path in the outcome when the inline policy fits', async () => {
    iam.on(PutRolePolicyCommand).resolves({});
    const out = await revokeRoleSessions(homeClients).apply(
      plannedOf('revoke-role-sessions'),
      { policyDocument: null },
      ctx(),
    );
    expect(out.details).toMatchObject({ path: 'inline' });
    expect(iam).not.toReceiveCommand(CreatePolicyCommand);
  });

  it('release detaches and deletes its managed policy when there is no inline one', async () => {
    const action = plannedOf('revoke-role-sessions');
    const name = action.params.policyName;
    iam.on(DeleteRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata }));
    iam.on(DetachRolePolicyCommand).resolves({});
    iam.on(DeletePolicyCommand).resolves({});
    const out = await revokeRoleSessions(homeClients).undo(action, { policyDocument: null }, ctx());
    expect(inputsOf(iam, DetachRolePolicyCommand)).toEqual([{ RoleName: 'etl-job', PolicyArn: arnOf(name) }]);
    expect(inputsOf(iam, DeletePolicyCommand)).toEqual([{ PolicyArn: arnOf(name) }]);
    expect(out).toMatchObject({ outcome: 'applied', details: { removed: arnOf(name) } });
  });
});
