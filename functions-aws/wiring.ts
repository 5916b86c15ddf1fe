import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { type Config, parseConfigText } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import { type JobEndResult, recordJobEnd } from '../core/evidence-jobs.ts';
import { incidentFindingPublisher } from '../core/findings/publish-incident.ts';
import type { HandleDeps } from '../core/handle.ts';
import { incidentJournal, type WriteOnceStore } from '../core/journal.ts';
import type { ManualParsers } from '../core/manual.ts';
import { lazyPackPublisher, packFolder } from '../core/report/pack-folder.ts';
import { AWS_RESPONDER_PACKS } from '../packs/aws/responder.ts';
import { callerIdentity, clientsFor, withOwnRolesExempt } from './clients.ts';
import { parseAwsEvent, parseAwsTarget } from './events/index.ts';
import { awsExecutors } from './executors/index.ts';
import { storeLedger } from './executors/quarantine-ledger.ts';
import { eventBridgeFindingHandover } from './finding-handover.ts';
import { s3WriteOnceStore } from './journal-store.ts';
import type { LambdaContext } from './lambda-context.ts';
import { laneS3 } from './lanes.ts';

/** Everything a handler needs, built once per cold start (or once per CLI run). */
export interface AwsRuntime {
  config: Config;
  homeAccount: string;
  /** The evidence bucket as a write-once store: the journal's, the grant index's, posture reports'. */
  store: WriteOnceStore;
  /** Dependencies for one invocation: the shared clients with this invocation's deadline. */
  deps(options?: Pick<HandleDeps, 'deadline' | 'onProgress'>): HandleDeps;
  parsers: ManualParsers;
  /**
   * Records the end of an S3 Batch Operations job an incident started (the evidence-job function);
   * absent when the deployment has no Batch Operations role (`TOURNIQUET_BATCH_ROLE_NAME`).
   */
  evidenceJobEnded?: (account: string, jobId: string) => Promise<JobEndResult>;
}

export interface AwsRuntimeOptions {
  config: Config;
  region?: string;
  /** The account the function runs in; asked from STS when absent (the CLI). */
  homeAccount?: string;
  /** The role the function runs as; exempt from its own quarantines and never revoked. */
  ownRoleArn?: string;
  /** The role S3 Batch Operations jobs act as: with it, large buckets take the job path. */
  batchRoleArn?: string;
  /**
   * The roles by name, in the home account (what serverless.yml sets: names resolve offline, so
   * `serverless invoke local` works; ARNs would be CloudFormation references).
   */
  ownRoleName?: string;
  batchRoleName?: string;
  /**
   * Publish each incident's finding after every phase: handed over on the default bus to the
   * findings function, which imports it into Security Hub (ASFF) and logs it (OCSF).
   */
  publishFindings?: boolean;
}

/**
 * The composition root: clients, journal and executors wired to one configuration, in the same
 * order as buildAzureRuntime (configuration, own identity, clients, journal, executors, the
 * dependencies with the packs, the event parsers).
 */
export async function buildAwsRuntime(options: AwsRuntimeOptions): Promise<AwsRuntime> {
  const aws = options.config.aws;
  if (!aws) throw new ConfigError('the AWS functions need an "aws" section in the configuration');
  const region = options.region;
  const sts = new STSClient({ region });
  const identity =
    options.homeAccount !== undefined
      ? { account: options.homeAccount, roleArn: options.ownRoleArn }
      : await callerIdentity(sts);
  const roleArn = (name: string | undefined) =>
    name ? `arn:aws:iam::${identity.account}:role/${name}` : undefined;
  const batchRoleArn = options.batchRoleArn ?? roleArn(options.batchRoleName);
  const config = withOwnRolesExempt(
    options.config,
    options.ownRoleArn ?? roleArn(options.ownRoleName) ?? identity.roleArn,
    identity.account,
  );
  // Evidence and asset buckets may sit in other regions: follow S3's redirects instead of failing.
  // One S3 client per lane (functions-aws/lanes.ts): the cut-off never queues behind evidence.
  const home = {
    iam: new IAMClient({ region }),
    s3: laneS3('cutOff', { region, followRegionRedirects: true }),
    eventBridge: new EventBridgeClient({ region }),
    evidenceS3: laneS3('evidence', { region, followRegionRedirects: true }),
  };
  const clients = clientsFor({
    home,
    homeAccount: identity.account,
    sts,
    memberRoleName: aws.memberRoleName,
    ...(region ? { region } : {}),
  });
  const where = (key: string) => `s3://${aws.evidenceBucket}/${key}`;
  const store = s3WriteOnceStore(
    laneS3('journal', { region, followRegionRedirects: true }),
    aws.evidenceBucket,
  );
  const journal = incidentJournal(store);
  // The S3 Control client is built on the first job only: most incidents never need one.
  let control: Promise<S3ControlClient> | undefined;
  const evidenceJobs = batchRoleArn
    ? {
        above: config.limits.evidenceJobAbove,
        roleArn: batchRoleArn,
        homeAccount: identity.account,
        evidenceBucket: aws.evidenceBucket,
        control: () => {
          control ??= import('@aws-sdk/client-s3-control').then((m) => new m.S3ControlClient({ region }));
          return control;
        },
      }
    : undefined;
  // Organizations is built on the first model isolation only, and only when models may be isolated.
  let organizations: Promise<OrganizationsClient> | undefined;
  const isolates = aws.inference.isolateModels.length > 0;
  const executors = awsExecutors(clients, {
    escalationBus: aws.escalationBus,
    homeAccount: identity.account,
    ...(isolates
      ? {
          organizations: () => {
            // Organizations is a global service, its endpoint in us-east-1.
            organizations ??= import('@aws-sdk/client-organizations').then(
              (m) => new m.OrganizationsClient({ region: 'us-east-1' }),
            );
            return organizations;
          },
        }
      : {}),
    packLocation: (id) => where(packFolder(id)),
    ...(evidenceJobs ? { evidenceJobs } : {}),
    quarantines: storeLedger(store),
  });
  // The evidence pack (JSON + HTML) lands next to the journal after containment and after release.
  const publishPack = lazyPackPublisher(store, journal, config, where);
  // Security Hub is the findings function's (handlers/findings.ts): its SDK stays out of this bundle.
  const publishFinding = options.publishFindings
    ? incidentFindingPublisher(journal, eventBridgeFindingHandover(home.eventBridge))
    : undefined;
  const deps: HandleDeps = {
    config,
    packs: AWS_RESPONDER_PACKS,
    executors,
    journal,
    publishPack,
    ...(publishFinding ? { publishFinding } : {}),
  };
  return {
    config,
    homeAccount: identity.account,
    store,
    deps: (extra = {}) => ({ ...deps, ...extra }),
    parsers: { parseEvent: parseAwsEvent, parseTarget: parseAwsTarget },
    ...(evidenceJobs
      ? {
          async evidenceJobEnded(account: string, jobId: string): Promise<JobEndResult> {
            const { describeJobEnd } = await import('./evidence-job-end.ts');
            const report = await describeJobEnd(
              await evidenceJobs.control(),
              home.evidenceS3,
              account,
              jobId,
            );
            if (!report)
              return { status: 'unknown-job', reason: `job ${jobId} is not a finished Tourniquet job` };
            return recordJobEnd(report, { journal, publishPack });
          },
        }
      : {}),
  };
}

let cached: Promise<AwsRuntime> | undefined;

/**
 * The Lambda runtime from the environment serverless.yml sets: `TOURNIQUET_CONFIG` (strict; an
 * invalid or missing configuration fails every invocation with the reason, nothing runs),
 * `TOURNIQUET_ROLE_NAME`, `TOURNIQUET_BATCH_ROLE_NAME` (or `…_ROLE_ARN`), `AWS_REGION`,
 * `TOURNIQUET_FINDINGS=securityhub` (incident findings handed over to the findings function, for
 * Security Hub). The home account is the
 * function's own, from the invocation's ARN (`TOURNIQUET_HOME_ACCOUNT` overrides it); under
 * `serverless invoke local` there is none, and a dry run takes the first configured account instead
 * of asking STS, so it runs offline. A failed build is not cached, so fixing the configuration needs
 * no redeploy of code.
 */
export function getAwsRuntime(
  env: NodeJS.ProcessEnv = process.env,
  context?: Partial<Pick<LambdaContext, 'invokedFunctionArn'>>,
): Promise<AwsRuntime> {
  cached ??= Promise.resolve()
    .then(() => {
      const config = parseConfigText(env.TOURNIQUET_CONFIG, 'the TOURNIQUET_CONFIG environment variable');
      const homeAccount =
        env.TOURNIQUET_HOME_ACCOUNT ??
        /^arn:aws[\w-]*:lambda:[^:]*:(\d{12}):/.exec(context?.invokedFunctionArn ?? '')?.[1] ??
        (config.mode === 'enforce' ? undefined : config.aws?.accounts[0]);
      return buildAwsRuntime({
        config,
        ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
        ...(homeAccount ? { homeAccount } : {}),
        ...(env.TOURNIQUET_ROLE_ARN ? { ownRoleArn: env.TOURNIQUET_ROLE_ARN } : {}),
        ...(env.TOURNIQUET_ROLE_NAME ? { ownRoleName: env.TOURNIQUET_ROLE_NAME } : {}),
        ...(env.TOURNIQUET_BATCH_ROLE_ARN ? { batchRoleArn: env.TOURNIQUET_BATCH_ROLE_ARN } : {}),
        ...(env.TOURNIQUET_BATCH_ROLE_NAME ? { batchRoleName: env.TOURNIQUET_BATCH_ROLE_NAME } : {}),
        publishFindings: env.TOURNIQUET_FINDINGS === 'securityhub',
      });
    })
    .catch((error) => {
      cached = undefined;
      throw error;
    });
  return cached;
}

/** For tests: forget the cached runtime. */
export function resetAwsRuntime(): void {
  cached = undefined;
}
