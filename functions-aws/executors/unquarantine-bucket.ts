import type { PublicAccessBlockConfiguration, S3Client } from '@aws-sdk/client-s3';
import type { Applied, ExecContext } from '../../core/executor.ts';
import type { QuarantineBucket } from '../../packs/aws/actions.ts';
import { removeStatement } from '../../packs/aws/policies.ts';
import type { ClientsFor } from '../clients.ts';
import {
  type BucketAccess,
  deletePolicy,
  deletePublicAccessBlock,
  otherQuarantines,
  putPolicyUnderBlock,
  putPublicAccessBlock,
  readBucketAccess,
  statementsOf,
} from './bucket-access.ts';
import type { QuarantineLedger } from './quarantine-ledger.ts';
import { untagBestEffort } from './quarantine-tag.ts';
import { sameJson } from './same-json.ts';

type Change = 'restored' | 'deleted' | 'unchanged' | 'kept';

/**
 * Lifts one incident's quarantine from its recorded before-state: removes *its* statement (by the
 * planned Sid) from the *current* policy, so other incidents' statements and changes others made
 * meanwhile survive, and puts the recorded text back verbatim when nothing else changed. The public
 * access block is restored (or deleted) only when no other `TourniquetQuarantine*` statement that
 * the ledger recorded is left: while another incident still quarantines the bucket the block stays on. The tag comes off
 * only if Tourniquet's value is still there.
 */
export async function unquarantineBucket(
  clients: ClientsFor,
  ledger: QuarantineLedger,
  action: QuarantineBucket,
  before: BucketAccess,
  ctx: ExecContext,
): Promise<Applied> {
  const { bucket, tag, statement } = action.params;
  const sid = statement.Sid ?? '';
  const { s3 } = await clients(action.account, ctx.incidentId);
  const now = await readBucketAccess(s3, bucket);
  const { recorded, live } = await ledger.sids(bucket);
  const others = otherQuarantines(now.policy, sid, live);
  // The block comes off first: a recorded public policy could not be put back under BlockPublicPolicy.
  const publicAccessBlock = others.length ? 'kept' : await restorePublicAccessBlock(s3, bucket, before, now);
  const block = others.length ? now.publicAccessBlock : before.publicAccessBlock;
  const [policy, tagging] = await Promise.all([
    restorePolicy(s3, bucket, before, now, sid, block),
    untagBestEffort(s3, bucket, before, now, tag),
  ]);
  await ledger.lifted(bucket, sid, ctx.incidentId);
  const changes = { policy, publicAccessBlock, tags: tagging.tags };
  const changed = [policy, publicAccessBlock, tagging.tags].some((c) => c === 'restored' || c === 'deleted');
  return {
    outcome: changed ? 'applied' : 'already-applied',
    details: {
      ...changes,
      ...(others.length
        ? {
            publicAccessBlockNote:
              `left on: ${others.join(', ')} of another incident still quarantines the bucket; ` +
              'the last release restores the recorded block',
          }
        : recordedUnderQuarantine(before, sid, recorded)),
      ...(tagging.tagReason ? { tagReason: tagging.tagReason } : {}),
    },
  };
}

/**
 * Another incident's quarantine was on when this one recorded its before-state, so the recorded
 * block is Tourniquet's, not the owner's: say where the owner's is.
 */
function recordedUnderQuarantine(
  before: BucketAccess,
  sid: string,
  recorded: ReadonlySet<string>,
): Record<string, string> {
  const earlier = otherQuarantines(before.policy, sid, recorded);
  if (!earlier.length) return {};
  return {
    publicAccessBlockNote:
      `the recorded block was read while ${earlier.join(', ')} quarantined the bucket: the owner's own ` +
      "setting is the before-state of that incident's quarantine-bucket action in its journal",
  };
}

async function restorePublicAccessBlock(
  s3: S3Client,
  bucket: string,
  before: BucketAccess,
  now: BucketAccess,
): Promise<Change> {
  if (before.publicAccessBlock === null) {
    if (now.publicAccessBlock === null) return 'unchanged';
    await deletePublicAccessBlock(s3, bucket);
    return 'deleted';
  }
  if (now.publicAccessBlock && sameJson(now.publicAccessBlock, before.publicAccessBlock)) return 'unchanged';
  await putPublicAccessBlock(s3, bucket, before.publicAccessBlock);
  return 'restored';
}

async function restorePolicy(
  s3: S3Client,
  bucket: string,
  before: BucketAccess,
  now: BucketAccess,
  sid: string,
  block: PublicAccessBlockConfiguration | null,
): Promise<Change> {
  if (now.policy === null || !statementsOf(now.policy).some((s) => s.Sid === sid)) return 'unchanged';
  const rest = removeStatement(now.policy, sid);
  if (rest === undefined) {
    await deletePolicy(s3, bucket);
    return 'deleted';
  }
  const untouched = before.policy !== null && sameJson(rest, before.policy);
  await putPolicyUnderBlock(s3, bucket, untouched ? (before.policy as string) : rest, block);
  return 'restored';
}
