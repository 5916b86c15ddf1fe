import {
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { ActionError, describeError, TransientError } from '../../core/errors.ts';
import { isQuarantineSid } from '../../packs/aws/policies.ts';
import { awsCall, isAwsError } from '../errors.ts';

/** A bucket's access settings: policy text, public access block and tag set (null: none set). */
export interface BucketAccess {
  policy: string | null;
  publicAccessBlock: PublicAccessBlockConfiguration | null;
  tags: Tag[] | null;
  /** Why the tag set could not be read (tags is null then, and the tag is left alone). */
  tagsUnreadable?: string;
  /** The tag set could not be read for a passing reason (throttling, a timeout). */
  tagsTransient?: boolean;
}

/**
 * Policy, public access block and tags of a bucket, read in parallel; "none set" is null. The tag
 * set only labels the quarantine, so failing to read it is recorded, not thrown.
 */
export async function readBucketAccess(s3: S3Client, bucket: string): Promise<BucketAccess> {
  const [policy, pab, tags] = await Promise.all([
    awsCall(() => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), {
      NoSuchBucketPolicy: () => undefined,
    }),
    awsCall(() => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), {
      NoSuchPublicAccessBlockConfiguration: () => undefined,
    }),
    awsCall(() => s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), {
      NoSuchTagSet: () => undefined,
    }).catch((error: unknown) => ({
      unreadable: describeError(error),
      transient: error instanceof TransientError,
    })),
  ]);
  return {
    policy: policy?.Policy ?? null,
    publicAccessBlock: pab?.PublicAccessBlockConfiguration ?? null,
    ...(tags && 'unreadable' in tags
      ? { tags: null, tagsUnreadable: tags.unreadable, ...(tags.transient ? { tagsTransient: true } : {}) }
      : { tags: tags?.TagSet ?? null }),
  };
}

export function putPolicy(s3: S3Client, bucket: string, policy: string) {
  return awsCall(() => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })), {
    AccessDenied: (error) => {
      throw new ActionError(
        `S3 refused the bucket policy of ${bucket}: either this function lacks s3:PutBucketPolicy there, or ` +
          'the policy is public and Block Public Access (BlockPublicPolicy, bucket or account level) is on. ' +
          'Remove the public statements by hand, then retry',
        { cause: error },
      );
    },
  });
}

export function deletePolicy(s3: S3Client, bucket: string) {
  return awsCall(() => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })));
}

export function putPublicAccessBlock(s3: S3Client, bucket: string, config: PublicAccessBlockConfiguration) {
  return awsCall(() =>
    s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: config })),
  );
}

export function deletePublicAccessBlock(s3: S3Client, bucket: string) {
  return awsCall(() => s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket })));
}

export function putTags(s3: S3Client, bucket: string, tags: Tag[]) {
  return awsCall(() => s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags } })));
}

export function deleteTags(s3: S3Client, bucket: string) {
  return awsCall(() => s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket })));
}

/** The bucket policy's statements, whether `Statement` is one object or a list. */
export function statementsOf(policy: string): { Sid?: string; [key: string]: unknown }[] {
  const parsed = JSON.parse(policy) as { Statement?: unknown };
  return [parsed.Statement ?? []].flat() as { Sid?: string }[];
}

/** Sids of the quarantine statements of other incidents in a policy. */
export function otherQuarantines(
  policy: string | null,
  sid: string | undefined,
  recorded: ReadonlySet<string>,
): string[] {
  if (policy === null) return [];
  return statementsOf(policy)
    .map((s) => s.Sid)
    .filter((s): s is string => typeof s === 'string' && isQuarantineSid(s) && s !== sid && recorded.has(s));
}

/**
 * Puts the policy under `block`, the block that must be in force afterwards. When S3 refuses the
 * policy because it is public as a whole (the owner's or an attacker's public Allow; Deny
 * statements do not make a policy non-public) and `block` has BlockPublicPolicy on, that setting is
 * lifted for this one call and `block` set back. BlockPublicPolicy only gates PUTs of public
 * policies: who may read stays decided by the other settings and the Deny statements in force.
 * Callers pass a block only where that is Tourniquet's to do; null keeps S3's refusal.
 */
export async function putPolicyUnderBlock(
  s3: S3Client,
  bucket: string,
  policy: string,
  block: PublicAccessBlockConfiguration | null,
): Promise<void> {
  try {
    await putPolicy(s3, bucket, policy);
  } catch (error) {
    const refused = error instanceof ActionError && isAwsError(error.cause, 'AccessDenied');
    if (!refused || !block?.BlockPublicPolicy) throw error;
    await putPublicAccessBlock(s3, bucket, { ...block, BlockPublicPolicy: false });
    try {
      await putPolicy(s3, bucket, policy);
    } finally {
      await putPublicAccessBlock(s3, bucket, block);
    }
  }
}
