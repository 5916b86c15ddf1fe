import { STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';
import { collectSnapshot } from '../../core/posture/collect.ts';
import type { PostureSnapshot } from '../../core/posture/snapshot.ts';
import { awsIdentityAnalysis } from '../../packs/aws/posture/identities/analysis.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { callerIdentity } from '../clients.ts';
import { type AwsPostureClients, awsPostureReader, postureClients } from './reader.ts';

export interface AwsPostureRunOptions {
  config: Config;
  region: string;
  /** `<service>-<stage>` of the deployed stack, whose rules are checked. */
  stack: string;
  identities: boolean;
  now?: Date;
  /** Tests inject clients and the account; otherwise the default credential chain and STS. */
  clients?: (region?: string) => AwsPostureClients;
  account?: string;
}

/**
 * One live posture run on AWS with the caller's credentials: the account from STS, the regions
 * from `posture.regions` (else the run's own), every read the checks (and, when asked, the identity
 * analysis) need. Read-only: the result is a snapshot, judged like a saved one.
 */
export async function collectAwsPosture(options: AwsPostureRunOptions): Promise<PostureSnapshot> {
  if (!options.config.aws)
    throw new ConfigError('posture on AWS needs an "aws" section in the configuration');
  const account =
    options.account ?? (await callerIdentity(new STSClient({ region: options.region }))).account;
  const regions = options.config.posture.regions.length ? options.config.posture.regions : [options.region];
  const planners = [...awsPostureChecks, ...(options.identities ? [awsIdentityAnalysis] : [])];
  return collectSnapshot(planners, awsPostureReader(options.clients ?? postureClients(options.region)), {
    cloud: 'aws',
    config: options.config,
    scope: { aws: { account, regions, stack: options.stack } },
    now: options.now ?? new Date(),
  });
}
