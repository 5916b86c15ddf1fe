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
import { ActionError } from '../../core/errors.ts';
import { awsCall } from '../errors.ts';

/** A bucket's access settings: policy text, public access block and tag set (null: none set). */
export interface BucketAccess {
  policy: string | null;
  publicAccessBlock: PublicAccessBlockConfiguration | null;
  tags: Tag[] | null;
}

/** Policy, public access block and tags of a bucket, read in parallel; "none set" is null. */
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
    }),
  ]);
  return {
    policy: policy?.Policy ?? null,
    publicAccessBlock: pab?.PublicAccessBlockConfiguration ?? null,
    tags: tags?.TagSet ?? null,
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
