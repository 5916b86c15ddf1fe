import type { PolicyDocument, PolicyStatement } from '../policies.ts';

/**
 * The policy documents of a posture fix and of a just-in-time grant, as data: each is written
 * exactly as built here, and test/aws/jit-policy-oracle.test.ts evaluates them with the IAM simulator.
 */

/** What object access means to Tourniquet: reading, writing, deleting, listing the asset's objects. */
export const OBJECT_DATA_ACTIONS = [
  's3:GetObject*',
  's3:PutObject*',
  's3:DeleteObject*',
  's3:ListBucket*',
  's3:ListMultipartUploadParts',
  's3:AbortMultipartUpload',
  's3:RestoreObject',
] as const;

export const STANDING_ACCESS_SID = 'TourniquetStandingAccess';
export const GRANT_SID = 'TourniquetJustInTime';

const bucketArns = (bucket: string) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];

/** `TourniquetStandingAccess-<bucket>`: IAM policy names allow 128 of `[\w+=,.@-]`, bucket names fit. */
export function standingAccessPolicyName(bucket: string): string {
  return `TourniquetStandingAccess-${bucket}`.slice(0, 128);
}

export function grantPolicyName(grantId: string): string {
  return `TourniquetJit-${grantId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}

/** The Deny that ends a stale principal's standing access to one asset bucket, whatever allows it. */
export function standingAccessDeny(bucket: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: STANDING_ACCESS_SID,
        Effect: 'Deny',
        Action: [...OBJECT_DATA_ACTIONS],
        Resource: bucketArns(bucket),
      },
    ],
  };
}

export const GRANT_ACTIONS = {
  read: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
  write: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject', 's3:AbortMultipartUpload'],
} as const;

/**
 * The grant: Allow on the bucket's objects (under `prefix`, when given) while `aws:CurrentTime` is
 * before the expiry. IAM stops honouring it at expiry even if nothing ever deletes it.
 */
export function jitGrantPolicy(grant: {
  bucket: string;
  prefix?: string;
  access: 'read' | 'write';
  expiresAt: string;
}): PolicyDocument {
  const until = { DateLessThan: { 'aws:CurrentTime': grant.expiresAt } };
  const objects = `arn:aws:s3:::${grant.bucket}/${grant.prefix ?? ''}*`;
  const objectActions = GRANT_ACTIONS[grant.access].filter((a) => a !== 's3:ListBucket');
  const list: PolicyStatement = {
    Sid: `${GRANT_SID}List`,
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: `arn:aws:s3:::${grant.bucket}`,
    Condition: grant.prefix ? { ...until, StringLike: { 's3:prefix': `${grant.prefix}*` } } : until,
  };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: GRANT_SID, Effect: 'Allow', Action: objectActions, Resource: objects, Condition: until },
      list,
    ],
  };
}

/**
 * The principal's standing-access Deny, applying again from the expiry (`DateGreaterThan
 * aws:CurrentTime`): the grant's window in it, closed by IAM itself when the time comes.
 */
export function windowedDeny(deny: PolicyDocument, expiresAt: string): PolicyDocument {
  return {
    ...deny,
    Statement: deny.Statement.map((s) =>
      s.Effect === 'Deny'
        ? { ...s, Condition: { ...(s.Condition ?? {}), DateGreaterThan: { 'aws:CurrentTime': expiresAt } } }
        : s,
    ),
  };
}
