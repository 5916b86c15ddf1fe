import type { CloudPack } from '../../core/cloud-pack.ts';
import { AWS_ACTION_KINDS } from './actions.ts';
import { arnPrincipal } from './formats/aws-identity.ts';
import { awsFormats } from './formats/index.ts';
import { checkAwsPlanned } from './plan-checks.ts';
import { planAws } from './planner.ts';
import { awsPlaybooks } from './playbooks.ts';

/**
 * Everything AWS contributes to the engine (core/cloud-pack.ts). Principals are IAM users and roles
 * by path-less ARN; alerts from a configured account are in scope.
 */
export const awsPack: CloudPack = {
  cloud: 'aws',
  inScope: (alert, config) => !!config.aws?.accounts.includes(alert.account),
  responders: (config) => config.aws?.responders ?? [],
  protectedPrincipals: (config) => config.aws?.protectedPrincipals ?? [],
  revocableKinds: ['user', 'role'],
  plan: planAws,
  playbooks: awsPlaybooks,
  actionKinds: AWS_ACTION_KINDS,
  checkPlanned: checkAwsPlanned,
  formats: awsFormats,
  callerPrincipal: (caller) => arnPrincipal(caller),
};
