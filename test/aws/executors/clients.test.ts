/**
 * Member-account clients. AssumeRole's input and output follow the STS API Reference (AssumeRole:
 * RoleSessionName 2–64 characters of [\w+=,.@-]; Credentials with AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError, TransientError } from '../../../core/errors.ts';
import {
  ASSUME_ROLE_PERMISSIONS,
  type AwsClients,
  callerIdentity,
  clientsFor,
  sessionName,
  type TemporaryCredentials,
  withOwnRolesExempt,
} from '../../../functions-aws/clients.ts';
import { ACCOUNT, awsConfig, MEMBER } from '../../support/config.ts';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const home: AwsClients = {
  iam: new IAMClient({ region: 'us-east-1' }),
  s3: new S3Client({ region: 'us-east-1' }),
  eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
};

function setup(now = { t: Date.parse('2026-11-25T10:00:00Z') }) {
  const built: TemporaryCredentials[] = [];
  let n = 0;
  sts.on(AssumeRoleCommand).callsFake(async () => ({
    Credentials: {
      AccessKeyId: `ASIAEXAMPLE${++n}`,
      SecretAccessKey: 'secret',
      SessionToken: `token-${n}`,
      Expiration: new Date(now.t + 3600_000),
    },
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/tourniquet-member/x`,
      AssumedRoleId: 'AROA:x',
    },
  }));
  const clients = clientsFor({
    home,
    homeAccount: ACCOUNT,
    sts: new STSClient({ region: 'us-east-1' }),
    memberRoleName: 'tourniquet-member',
    build: (credentials) => {
      built.push(credentials);
      return { ...home, credentials } as unknown as AwsClients;
    },
    now: () => new Date(now.t),
  });
  return { clients, built, now };
}

describe('clientsFor', () => {
  it('uses the base clients in the home account, with no STS call', async () => {
    const { clients } = setup();
    expect(await clients(ACCOUNT, 'inc-1')).toBe(home);
    expect(sts).not.toReceiveAnyCommand();
  });

  it('assumes the member role with a session naming the incident, once per (account, incident)', async () => {
    const { clients, built } = setup();
    const [a, b] = await Promise.all([
      clients(MEMBER, 'aws-guardduty-5c1f0e9a7b3d2c41a9e8'),
      clients(MEMBER, 'aws-guardduty-5c1f0e9a7b3d2c41a9e8'),
    ]);
    expect(a).toBe(b);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/tourniquet-member`,
        RoleSessionName: 'tourniquet-aws-guardduty-5c1f0e9a7b3d2c41a9e8',
      },
    ]);
    expect(built).toEqual([
      {
        accessKeyId: 'ASIAEXAMPLE1',
        secretAccessKey: 'secret',
        sessionToken: 'token-1',
        expiration: expect.any(Date),
      },
    ]);
    await clients(MEMBER, 'another-incident');
    expect(sts).toReceiveCommandTimes(AssumeRoleCommand, 2);
    expect(sts).toReceiveLastCommandWith(AssumeRoleCommand, {
      RoleSessionName: 'tourniquet-another-incident',
    });
  });

  it('renews the credentials shortly before they expire, not before', async () => {
    const { clients, now } = setup();
    await clients(MEMBER, 'inc-1');
    now.t += 54 * 60_000;
    await clients(MEMBER, 'inc-1');
    expect(sts).toReceiveCommandTimes(AssumeRoleCommand, 1);
    now.t += 2 * 60_000; // 4 minutes left: inside the 5-minute margin
    await clients(MEMBER, 'inc-1');
    expect(sts).toReceiveCommandTimes(AssumeRoleCommand, 2);
  });

  it('keeps session names within STS limits for long or odd incident ids', () => {
    const name = sessionName(`manual-${'x'.repeat(90)}`);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(sessionName('a/b c')).toBe('tourniquet-a-b-c');
  });

  it('refuses other accounts when no member role is configured', async () => {
    const clients = clientsFor({ home, homeAccount: ACCOUNT, sts: new STSClient({}) });
    await expect(clients(MEMBER, 'inc-1')).rejects.toThrow(ActionError);
    await expect(clients(MEMBER, 'inc-1')).rejects.toThrow(/aws.memberRoleName is not set/);
  });

  it('explains a refused AssumeRole, retries a throttled one, and does not cache failures', async () => {
    const { clients } = setup();
    const denied = new STSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'not authorized to perform: sts:AssumeRole',
    });
    sts.on(AssumeRoleCommand).rejectsOnce(denied);
    const error = await clients(MEMBER, 'inc-2').catch((e) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toMatch(/cannot assume arn:aws:iam::444455556666:role\/tourniquet-member/);
    expect(error.cause).toBe(denied);
    // The failure is not cached: once the role can be assumed, the next call gets clients.
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAOK',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date('2026-11-25T11:00:00Z'),
      },
    });
    await expect(clients(MEMBER, 'inc-2')).resolves.toMatchObject({ credentials: { accessKeyId: 'ASIAOK' } });

    sts.reset();
    sts
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(clients(MEMBER, 'inc-3')).rejects.toBeInstanceOf(TransientError);
  });

  it('declares sts:AssumeRole', () => {
    expect(ASSUME_ROLE_PERMISSIONS).toEqual(['sts:AssumeRole']);
  });
});

describe('callerIdentity and withOwnRolesExempt', () => {
  it('reads the home account and the function role from GetCallerIdentity', async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: ACCOUNT,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/tourniquet-prod-responder/tourniquet-prod-contain`,
      UserId: 'AROA3XFRBF535PLBIFPI4:tourniquet-prod-contain',
    });
    expect(await callerIdentity(new STSClient({ region: 'us-east-1' }))).toEqual({
      account: ACCOUNT,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/tourniquet-prod-responder`,
    });
  });

  it('adds the function role and the member role of each member account to the responders, once', () => {
    const config = awsConfig();
    const own = `arn:aws:iam::${ACCOUNT}:role/tourniquet-prod-responder`;
    const exempt = withOwnRolesExempt(config, own, ACCOUNT);
    expect(exempt.aws?.responders).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/ir-responder`,
      own,
      `arn:aws:iam::${MEMBER}:role/tourniquet-member`,
    ]);
    expect(withOwnRolesExempt(exempt, own, ACCOUNT)).toEqual(exempt);
    expect(config.aws?.responders).toEqual([`arn:aws:iam::${ACCOUNT}:role/ir-responder`]);
  });
});
