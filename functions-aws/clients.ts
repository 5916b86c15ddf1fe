import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../core/config.ts';
import { ActionError } from '../core/errors.ts';
import { awsCall } from './errors.ts';
import { laneS3 } from './lanes.ts';

/** The SDK clients an executor acts with, for one account. */
export interface AwsClients {
  iam: IAMClient;
  /** The cut-off lane: quarantine reads and writes (functions-aws/lanes.ts). */
  s3: S3Client;
  eventBridge: EventBridgeClient;
  /** The evidence lane: listings, HEADs, legal holds, copies; `s3` when absent (tests, simulators). */
  evidenceS3?: S3Client;
}

/** The client evidence calls go through: its own lane when the composition root built one. */
export function evidenceS3(clients: AwsClients): S3Client {
  return clients.evidenceS3 ?? clients.s3;
}

/** Clients for the account an action runs in, acting on behalf of one incident. */
export type ClientsFor = (account: string, incidentId: string) => Promise<AwsClients>;

/** What `clientsFor` calls: assuming the member role in other in-scope accounts. */
export const ASSUME_ROLE_PERMISSIONS = ['sts:AssumeRole'] as const;

/** Temporary credentials from STS, in the shape the SDK clients take. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface ClientsForOptions {
  /** Clients with the function's own credentials, built once per cold start. */
  home: AwsClients;
  homeAccount: string;
  sts: STSClient;
  /** `aws.memberRoleName`: without it, only the home account can be acted in. */
  memberRoleName?: string | undefined;
  /** Region for member-account clients; defaults to the Lambda's `AWS_REGION`. */
  region?: string;
  /** Builds member-account clients from assumed credentials (tests inject it). */
  build?: (credentials: TemporaryCredentials) => AwsClients;
  now?: () => Date;
  /** Assumed credentials are renewed this long before they expire. */
  refreshBeforeMs?: number;
}

/** STS limits: 2–64 characters of `[\w+=,.@-]`. The incident id is what CloudTrail will show. */
export function sessionName(incidentId: string): string {
  return `tourniquet-${incidentId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * Builds the `ClientsFor` of one cold start. The home account uses the base clients; any other
 * account assumes `arn:aws:iam::<account>:role/<memberRoleName>` with a session naming the incident.
 * Credentials are cached per (account, incident) and shared by concurrent callers, so the actions of
 * one incident assume the role once; they are renewed shortly before they expire.
 */
export function clientsFor(options: ClientsForOptions): ClientsFor {
  const now = options.now ?? (() => new Date());
  const refreshBefore = options.refreshBeforeMs ?? 5 * 60_000;
  const build = options.build ?? defaultBuild(options.region ?? process.env.AWS_REGION);
  const cache = new Map<string, { clients: Promise<AwsClients>; expiresAt?: number }>();

  return async (account, incidentId) => {
    if (account === options.homeAccount) return options.home;
    if (!options.memberRoleName) {
      throw new ActionError(
        `account ${account} is not the home account (${options.homeAccount}) and aws.memberRoleName is not set: ` +
          'deploy the member role there and configure its name, or act in that account by hand',
      );
    }
    const key = `${account}/${incidentId}`;
    const cached = cache.get(key);
    const fresh = (expiresAt?: number) =>
      expiresAt === undefined || expiresAt - refreshBefore > now().getTime();
    if (cached && fresh(cached.expiresAt)) return cached.clients;

    const roleArn = `arn:aws:iam::${account}:role/${options.memberRoleName}`;
    const entry: { clients: Promise<AwsClients>; expiresAt?: number } = {
      clients: assume(options.sts, roleArn, incidentId).then((credentials) => {
        entry.expiresAt = credentials.expiration.getTime();
        return build(credentials);
      }),
    };
    cache.set(key, entry);
    entry.clients.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry.clients;
  };
}

async function assume(sts: STSClient, roleArn: string, incidentId: string): Promise<TemporaryCredentials> {
  const out = await awsCall(
    () => sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName(incidentId) })),
    {
      AccessDenied: (error) => {
        throw new ActionError(
          `cannot assume ${roleArn}: deploy the member role in that account with a trust policy for this ` +
            "function's role, or contain the incident there by hand",
          { cause: error },
        );
      },
    },
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error(`AssumeRole ${roleArn} returned no complete credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

function defaultBuild(region: string | undefined) {
  return (credentials: TemporaryCredentials): AwsClients => ({
    iam: new IAMClient({ region, credentials }),
    s3: laneS3('cutOff', { region, credentials }),
    eventBridge: new EventBridgeClient({ region, credentials }),
    evidenceS3: laneS3('evidence', { region, credentials }),
  });
}

/**
 * The function's own account and role (`sts:GetCallerIdentity` needs no permission): call once per
 * cold start. The role ARN is path-less; `exemptPrincipalArns` covers any path.
 */
export async function callerIdentity(sts: STSClient): Promise<{ account: string; roleArn?: string }> {
  const out = await awsCall(() => sts.send(new GetCallerIdentityCommand({})));
  if (!out.Account) throw new Error('GetCallerIdentity returned no account');
  const role = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\//.exec(out.Arn ?? '');
  return { account: out.Account, ...(role ? { roleArn: `arn:aws:iam::${role[1]}:role/${role[2]}` } : {}) };
}

/**
 * The configuration with Tourniquet's own roles added to `aws.responders`: the function's role and
 * the member role in every member account. Quarantine denies `s3:*` to everyone not exempt, the
 * roles Tourniquet acts through included: without this, pinning, evidence copies and release
 * are locked out of the buckets it quarantined. As responders they are also never revoked by
 * their own automation.
 */
export function withOwnRolesExempt(
  config: Config,
  ownRoleArn: string | undefined,
  homeAccount: string,
): Config {
  if (!config.aws) return config;
  const { memberRoleName, accounts, responders } = config.aws;
  const members = memberRoleName
    ? accounts.filter((a) => a !== homeAccount).map((a) => `arn:aws:iam::${a}:role/${memberRoleName}`)
    : [];
  const own = [...(ownRoleArn ? [ownRoleArn] : []), ...members].filter((arn) => !responders.includes(arn));
  return { ...config, aws: { ...config.aws, responders: [...responders, ...own] } };
}
