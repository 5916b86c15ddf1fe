import type { PlanInput } from '../../core/planner.ts';
import type { CopyBlobEvidence, QuarantineStorageAccount, SnapshotBlobs } from './actions.ts';
import type { AssetContainer } from './assets.ts';
import { parseStorageAccountId } from './names.ts';

/* The evidence half of an Azure plan: the snapshot of a container's blobs, and their copy. */

/** Copy Blob From URL is synchronous up to 256 MiB; larger blobs use the asynchronous copy. */
export const SYNC_COPY_MAX_BYTES = 256 * 1024 * 1024;

/** Where an incident's evidence copies live in the evidence container (the journal is beside them). */
export function azureEvidencePrefix(incidentId: string, accountName: string, container: string): string {
  return `incidents/${incidentId}/blobs/${accountName}/${container}/`;
}

export function snapshot(input: PlanInput, c: AssetContainer): Omit<SnapshotBlobs, 'id'> {
  return {
    kind: 'snapshot-blobs',
    category: 'snapshot',
    target: `${c.account.id}/blobServices/default/containers/${c.container}`,
    account: c.account.subscriptionId,
    params: {
      storageAccountId: c.account.id,
      accountName: c.account.name,
      container: c.container,
      keys: c.blobs,
      prefixes: [...c.asset.prefixes],
      maxObjects: input.config.limits.maxObjects,
    },
    inverse: 'none: snapshots are evidence and are kept',
  };
}

export function copyEvidence(
  input: PlanInput,
  snap: SnapshotBlobs,
  closing: QuarantineStorageAccount | undefined,
): Omit<CopyBlobEvidence, 'id'> {
  const evidence = input.config.azure?.evidence;
  const evidenceAccount = evidence ? parseStorageAccountId(evidence.storageAccount) : undefined;
  const { storageAccountId, accountName, container } = snap.params;
  return {
    kind: 'copy-blob-evidence',
    category: 'snapshot',
    target: snap.target,
    account: snap.account,
    dependsOn: closing ? [closing.id, snap.id] : [snap.id],
    params: {
      storageAccountId,
      accountName,
      container,
      evidenceStorageAccountId: evidenceAccount?.id ?? '',
      evidenceAccountName: evidenceAccount?.name ?? '',
      evidenceContainer: evidence?.container ?? '',
      evidencePrefix: azureEvidencePrefix(input.incidentId, accountName, container),
      snapshotAction: snap.id,
      syncCopyMaxBytes: SYNC_COPY_MAX_BYTES,
    },
    inverse: 'none: evidence copies are kept',
  };
}
