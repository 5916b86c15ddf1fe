import type { QuarantineBucket } from '../../core/aws/actions.ts';
import { mergeStatement, QUARANTINE_SID } from '../../core/aws/policies.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { ClientsFor } from '../clients.ts';
import {
  type BucketAccess,
  putPolicy,
  putPublicAccessBlock,
  putTags,
  readBucketAccess,
  statementsOf,
} from './bucket-access.ts';
import { sameJson } from './same-json.ts';
import { unquarantineBucket } from './unquarantine-bucket.ts';

/**
 * Closes a bucket to everyone but responders and break-glass: the plan's Deny statement merged into
 * the bucket policy (every other statement kept), the public access block on, the bucket tagged.
 * Undo removes exactly what was added and restores what was replaced.
 */
export function quarantineBucket(clients: ClientsFor): Executor<QuarantineBucket, BucketAccess> {
  return {
    permissions: [
      's3:DeleteBucketPolicy',
      's3:GetBucketPolicy',
      's3:GetBucketPublicAccessBlock',
      's3:GetBucketTagging',
      's3:PutBucketPolicy',
      // Authorizes PutPublicAccessBlock and DeletePublicAccessBlock.
      's3:PutBucketPublicAccessBlock',
      // Authorizes PutBucketTagging and DeleteBucketTagging.
      's3:PutBucketTagging',
    ],

    async read(action, ctx) {
      const { s3 } = await clients(action.account, ctx.incidentId);
      return readBucketAccess(s3, action.params.bucket);
    },

    async apply(action, before, ctx): Promise<Applied> {
      const { bucket, statement, publicAccessBlock, tag } = action.params;
      const policyDone =
        before.policy !== null &&
        statementsOf(before.policy).some((s) => s.Sid === statement.Sid && sameJson(s, statement));
      const pabDone = !!before.publicAccessBlock && sameJson(before.publicAccessBlock, publicAccessBlock);
      const tagDone = !!before.tags?.some((t) => t.Key === tag.Key && t.Value === tag.Value);
      const details = {
        sid: QUARANTINE_SID,
        tag,
        exempt: statement.Condition?.ArnNotLike?.['aws:PrincipalArn'],
      };
      if (policyDone && pabDone && tagDone) return { outcome: 'already-applied', details };

      // Throws before any call when the merged policy would pass the 20 KB limit.
      const policy = policyDone ? undefined : mergeStatement(before.policy ?? undefined, statement);
      const tags = [...(before.tags ?? []).filter((t) => t.Key !== tag.Key), tag];
      const { s3 } = await clients(action.account, ctx.incidentId);
      // The Deny is what cuts the attacker off, so it goes first, with the tag. The public access
      // block follows: BlockPublicPolicy makes S3 reject a PutBucketPolicy whose *whole* policy is
      // public (S3 API Reference, PublicAccessBlockConfiguration). Our Deny grants nothing and is
      // never public, but the statements merged around it may be (an attacker's public Allow), and
      // such a policy would be refused once the block is on.
      const first = await Promise.allSettled([
        policy === undefined ? undefined : putPolicy(s3, bucket, policy),
        tagDone ? undefined : putTags(s3, bucket, tags),
      ]);
      if (!pabDone) await putPublicAccessBlock(s3, bucket, publicAccessBlock);
      const failed = first.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return {
        outcome: 'applied',
        details: {
          ...details,
          ...(policy ? { policyBytes: Buffer.byteLength(policy) } : {}),
          residual:
            'bucket configuration is eventually consistent in S3: the deny can take a short while to apply ' +
            'everywhere, and requests already in flight complete',
        },
      };
    },

    undo: (action, before, ctx) => unquarantineBucket(clients, action, before, ctx),
  };
}
