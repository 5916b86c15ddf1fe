import type { CloudPack } from '../../core/cloud-pack.ts';
import { AWS_ACTION_KINDS } from './actions.ts';
import { arnPrincipal } from './formats/aws-identity.ts';
import { checkAwsPlanned } from './plan-checks.ts';
import { planAws } from './planner.ts';
import { awsPlaybooks } from './playbooks.ts';

/**
 * The AWS pack without its log formats (pack.ts adds them): what the Lambdas that decide, contain
 * and release but never read a log run with (packs/aws-deployment.ts), so the parsers of CloudTrail,
 * S3 access, VPC flow and Bedrock logs stay out of their bundles. Only the scan session reads a
 * pack's formats.
 */
export const awsResponderPack: CloudPack = {
  cloud: 'aws',
  inScope: (alert, config) => !!config.aws?.accounts.includes(alert.account),
  responders: (config) => config.aws?.responders ?? [],
  protectedPrincipals: (config) => config.aws?.protectedPrincipals ?? [],
  revocableKinds: ['user', 'role'],
  plan: planAws,
  playbooks: awsPlaybooks,
  actionKinds: AWS_ACTION_KINDS,
  checkPlanned: checkAwsPlanned,
  formats: {},
  callerPrincipal: (caller) => arnPrincipal(caller),
};

/** The packs of the AWS functions that read no logs (functions-aws/wiring.ts). */
export const AWS_RESPONDER_PACKS: readonly CloudPack[] = [awsResponderPack];
