import type { ActionBase } from '../../core/actions.ts';
import type { PolicyDocument, PolicyStatement } from './policies.ts';

/** Inline Deny on sessions issued before the incident, on a role (never a service-linked role). */
export type RevokeRoleSessions = ActionBase<
  'revoke-role-sessions',
  {
    roleName: string;
    policyName: string;
    policyDocument: PolicyDocument;
    /**
     * Set when only one session of a shared workload role is revoked (packs/aws/deny-scope.ts):
     * its `AROA…:<session>` or `SourceIdentity=<id>`; absent when every session is.
     */
    session?: string;
  }
>;

/** The same session-revoking Deny on an IAM user (2,048-character inline quota). */
export type RevokeUserSessions = ActionBase<
  'revoke-user-sessions',
  { userName: string; policyName: string; policyDocument: PolicyDocument }
>;

/**
 * Sets access keys Inactive (never deletes them); `allKeys` extends it to every key of the user. The
 * planner sets `allKeys` when the alert shows a temporary (ASIA…) key or none, since the long-term
 * key behind a `GetSessionToken` session is unknown, and when `aws.deactivateAllKeys` is on.
 */
export type DeactivateAccessKeys = ActionBase<
  'deactivate-access-keys',
  { userName: string; accessKeyIds: string[]; allKeys: boolean }
>;

/**
 * Turns the bucket's public access block on, merges the Deny statement into its policy (every other
 * statement kept) and tags the bucket. The before-state is recorded so release can restore it.
 */
export type QuarantineBucket = ActionBase<
  'quarantine-bucket',
  {
    bucket: string;
    statement: PolicyStatement;
    publicAccessBlock: {
      BlockPublicAcls: true;
      IgnorePublicAcls: true;
      BlockPublicPolicy: true;
      RestrictPublicBuckets: true;
    };
    tag: { Key: string; Value: string };
  }
>;

/**
 * Records key, version id, ETag, size and checksums of the objects named by the alert and under the
 * asset's prefixes, enabling versioning first if it was off and placing Object Lock legal holds
 * where the bucket supports them.
 */
export type PinObjects = ActionBase<
  'pin-objects',
  { bucket: string; keys: string[]; prefixes: string[]; maxObjects: number; legalHold: boolean }
>;

/**
 * Server-side copies of the pinned versions into the evidence bucket (`CopyObject` up to 5 GB,
 * multipart `UploadPartCopy` above), each guarded by `CopySourceIfMatch` on the recorded ETag.
 */
export type CopyEvidence = ActionBase<
  'copy-evidence',
  {
    bucket: string;
    evidenceBucket: string;
    evidencePrefix: string;
    /** The pin-objects action whose recorded versions are copied. */
    pinAction: string;
    partSizeBytes: number;
    partConcurrency: number;
  }
>;

/**
 * Denies the principal's inference calls (packs/aws/inference-policies.ts) with an inline policy:
 * for one session of a role when the alert names it, otherwise the role's sessions issued before
 * the incident, or every call of an IAM user. Removing the policy is the undo.
 */
export type DenyInference = ActionBase<
  'deny-inference',
  {
    principalType: 'role' | 'user';
    principalName: string;
    policyName: string;
    policyDocument: PolicyDocument;
    /** The one session denied (`AROA…:<session>`), when the deny is that narrow. */
    session?: string;
    /** The source identity denied, when the alert pins the session by it instead. */
    sourceIdentity?: string;
  }
>;

/**
 * Sets the user's Bedrock API keys (IAM service-specific credentials for `bedrock.amazonaws.com`)
 * Inactive, never deleting them; release reactivates those that were Active. Short-term Bedrock
 * API keys are derived from a session and have no credential to deactivate: the inference deny's
 * `bedrock:CallWithBearerToken` covers them.
 */
export type DeactivateBedrockApiKeys = ActionBase<
  'deactivate-bedrock-api-keys',
  { userName: string; serviceName: 'bedrock.amazonaws.com' }
>;

/**
 * Closes leaking models to everyone but responders and break-glass: a service control policy
 * (created by Tourniquet, named for the incident) attached to the model's account. The home account
 * must be the Organizations management account or its delegated administrator for policies.
 * Release detaches and deletes the policy.
 */
export type IsolateModel = ActionBase<
  'isolate-model',
  { modelArns: string[]; targetAccount: string; policyName: string; policyDocument: PolicyDocument }
>;

/** The inline policy a posture fix or a just-in-time grant writes on a role or user. */
export interface InlinePolicyParams {
  principalType: 'role' | 'user';
  name: string;
  policyName: string;
  policyDocument: PolicyDocument;
}

/**
 * Ends a stale principal's standing access to an asset: an inline Deny on the bucket and its
 * objects (`TourniquetStandingAccess-<bucket>`), the principal and its policies untouched. Undo
 * deletes the Deny (`tourniquet release`).
 */
export type DenyStandingAccess = ActionBase<'deny-standing-access', InlinePolicyParams>;

/**
 * A just-in-time grant: an inline policy whose Allow statements carry `DateLessThan aws:CurrentTime`
 * = `expiresAt`, so it stops working at expiry even if nothing removes it; or the principal's
 * standing-access Deny rewritten to apply again from `expiresAt` (`DateGreaterThan`). Undo puts back
 * what was there before (deletes the grant, restores the Deny).
 */
export type GrantAccess = ActionBase<'grant-access', InlinePolicyParams & { expiresAt: string }>;

export type AwsAction =
  | DenyStandingAccess
  | GrantAccess
  | RevokeRoleSessions
  | RevokeUserSessions
  | DeactivateAccessKeys
  | QuarantineBucket
  | PinObjects
  | CopyEvidence
  | DenyInference
  | DeactivateBedrockApiKeys
  | IsolateModel;

export type AwsActionKind = AwsAction['kind'];

/** Every AWS action kind; the compiler holds the list complete. */
export const AWS_ACTION_KINDS = Object.keys({
  'revoke-role-sessions': true,
  'revoke-user-sessions': true,
  'deactivate-access-keys': true,
  'quarantine-bucket': true,
  'pin-objects': true,
  'copy-evidence': true,
  'deny-inference': true,
  'deactivate-bedrock-api-keys': true,
  'isolate-model': true,

  'deny-standing-access': true,
  'grant-access': true,
} satisfies Record<AwsActionKind, true>) as AwsActionKind[];
