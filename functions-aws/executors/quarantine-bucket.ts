import type { Applied, Executor } from '../../core/executor.ts';
import type { QuarantineBucket } from '../../packs/aws/actions.ts';
import { mergeStatement } from '../../packs/aws/policies.ts';
import type { ClientsFor } from '../clients.ts';
import {
  type BucketAccess,
  otherQuarantines,
  putPolicyUnderBlock,
  putPublicAccessBlock,
  readBucketAccess,
  statementsOf,
} from './bucket-access.ts';
import { NO_LEDGER, type QuarantineLedger } from './quarantine-ledger.ts';
import { tagBestEffort } from './quarantine-tag.ts';
import { sameJson } from './same-json.ts';
import { unquarantineBucket } from './unquarantine-bucket.ts';

/**
 * Closes a bucket to everyone but responders and break-glass: the plan's Deny statement (its Sid the
 * incident's own) merged into the bucket policy, every other statement kept, the public access block
 * on, and the bucket tagged when S3 lets it (the tag is a label: it never fails the quarantine).
 * Undo removes exactly what was added and restores what was replaced. Another incident's statement
 * is recognised only when `ledger` recorded it (a planted `TourniquetQuarantine*` Sid is the owner's).
 */
export function quarantineBucket(
  clients: ClientsFor,
  ledger: QuarantineLedger = NO_LEDGER,
): Executor<QuarantineBucket, BucketAccess> {
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
      // Throws before any call when the merged policy would pass the 20 KB limit.
      const policy = policyDone ? undefined : mergeStatement(before.policy ?? undefined, statement);
      const { s3 } = await clients(action.account, ctx.incidentId);
      const { live } = await ledger.sids(bucket);
      if (policy !== undefined) await ledger.applied(bucket, statement.Sid ?? '', ctx.incidentId);
      // The Deny is what cuts the attacker off, so it goes first, with the tag. The public access
      // block follows: BlockPublicPolicy makes S3 reject a PutBucketPolicy whose *whole* policy is
      // public (S3 API Reference, PublicAccessBlockConfiguration). Our Deny grants nothing and is
      // never public, but the statements merged around it may be (an attacker's public Allow), and
      // such a policy would be refused once the block is on. When another incident's quarantine has
      // put the block on already, the block is Tourniquet's and is lifted for that one call. The tag
      // never throws.
      const ownBlock = otherQuarantines(before.policy, statement.Sid, live).length
        ? before.publicAccessBlock
        : null;
      const [policyFailure, tagging] = await Promise.all([
        policy === undefined
          ? undefined
          : putPolicyUnderBlock(s3, bucket, policy, ownBlock).then(
              () => undefined,
              (error: unknown) => ({ error }),
            ),
        tagBestEffort(s3, bucket, before, tag),
      ]);
      if (!pabDone) await putPublicAccessBlock(s3, bucket, publicAccessBlock);
      if (policyFailure) throw policyFailure.error;
      const changed = policy !== undefined || !pabDone || tagging.changed;
      return {
        outcome: changed ? 'applied' : 'already-applied',
        details: {
          sid: statement.Sid,
          tag,
          tagged: tagging.tagged,
          ...(tagging.tagReason ? { tagReason: tagging.tagReason } : {}),
          exempt: statement.Condition?.ArnNotLike?.['aws:PrincipalArn'],
          ...(policy ? { policyBytes: Buffer.byteLength(policy) } : {}),
          ...(changed
            ? {
                residual:
                  'bucket configuration is eventually consistent in S3: the deny can take a short while to ' +
                  'apply everywhere, and requests already in flight complete',
              }
            : {}),
        },
      };
    },

    undo: (action, before, ctx) => unquarantineBucket(clients, ledger, action, before, ctx),
  };
}
