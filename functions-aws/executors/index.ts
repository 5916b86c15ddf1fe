import type { ExecutorRegistry } from '../../core/executor.ts';
import type { AwsActionKind } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { copyEvidence } from './copy-evidence.ts';
import { deactivateAccessKeys } from './deactivate-access-keys.ts';
import { deactivateBedrockApiKeys } from './deactivate-bedrock-api-keys.ts';
import { denyInference } from './deny-inference.ts';
import { denyStandingAccess } from './deny-standing-access.ts';
import { type EscalateOptions, escalate } from './escalate.ts';
import type { EvidenceJobs } from './evidence-jobs.ts';
import { grantAccess } from './grant-access.ts';
import { isolateModel, type OrganizationsFor } from './isolate-model.ts';
import { pinObjects } from './pin-objects.ts';
import { quarantineBucket } from './quarantine-bucket.ts';
import type { QuarantineLedger } from './quarantine-ledger.ts';
import { revokeRoleSessions } from './revoke-role-sessions.ts';
import { revokeUserSessions } from './revoke-user-sessions.ts';

/** Every kind the AWS executors perform: the pack's action kinds and the shared `escalate`. */
export type AwsExecutorKind = AwsActionKind | 'escalate';
export type AwsExecutorOptions = EscalateOptions & {
  /** The job path of evidence for large buckets (S3 Batch Operations); per object only without it. */
  evidenceJobs?: EvidenceJobs;
  /** AWS Organizations from the home account, for isolate-model (built on its first use). */
  organizations?: OrganizationsFor;
  /** Which quarantine statements are Tourniquet's (journal store); none are recognised without it. */
  quarantines?: QuarantineLedger;
};

/**
 * One executor per AWS action kind (the compiler checks it through `satisfies`), acting in each
 * action's account through `clients`. Built once per cold start by the composition root.
 *
 * @example
 * const executors = awsExecutors(clientsFor({ home, homeAccount, sts, memberRoleName }), {
 *   escalationBus: config.aws.escalationBus, homeAccount,
 * });
 */
export function awsExecutors(
  clients: ClientsFor,
  options: AwsExecutorOptions,
): ExecutorRegistry<AwsExecutorKind> {
  return {
    'revoke-role-sessions': revokeRoleSessions(clients),
    'revoke-user-sessions': revokeUserSessions(clients),
    'deactivate-access-keys': deactivateAccessKeys(clients),
    'quarantine-bucket': quarantineBucket(clients, options.quarantines),
    'pin-objects': pinObjects(clients, options.evidenceJobs),
    'copy-evidence': copyEvidence(clients, options.evidenceJobs),
    'deny-inference': denyInference(clients),
    'deactivate-bedrock-api-keys': deactivateBedrockApiKeys(clients),
    'isolate-model': isolateModel(options.organizations),
    escalate: escalate(clients, options),
    'deny-standing-access': denyStandingAccess(clients),
    'grant-access': grantAccess(clients),
  } satisfies ExecutorRegistry<AwsExecutorKind>;
}

/** Every IAM action the executors call, sorted and deduplicated: what the deployment must grant. */
export function executorPermissions(registry: ExecutorRegistry<AwsExecutorKind>): string[] {
  return [...new Set(Object.values(registry).flatMap((e) => e.permissions))].sort();
}
