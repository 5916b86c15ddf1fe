import type { ContainerClient } from '@azure/storage-blob';
import type { Applied, Executor } from '../../core/executor.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import type { SnapshotBlobs } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';
import { type BlobRecord, blobRecord, properties } from './blob-records.ts';
import { type EvidenceFanout, FANOUT_PERMISSIONS, startFanout } from './evidence-fanout.ts';

export type { BlobRecord };

export interface SnapshotRecord extends BlobRecord {
  /** The snapshot's timestamp (`?snapshot=`), which names it forever. */
  snapshot: string;
  /** True when the blob changed between the read and the snapshot: the snapshot holds the newer bytes. */
  changedSinceRead?: boolean;
}

export interface SnapshotsBefore {
  blobs: BlobRecord[];
  /** Blobs the alert named that no longer exist (deleted before Tourniquet looked). */
  missing: string[];
  /** More blobs matched the prefixes than `maxObjects`; the rest were not snapshotted. */
  truncated: boolean;
  /** More blobs than `limits.evidenceJobAbove`: the fan-out function takes them, page by page. */
  viaFanout?: string;
}

const PARALLEL = 16;
/** Snapshot metadata naming the incident that took it. */
export const INCIDENT_TAG = 'tourniquetincident';

/**
 * Pins evidence with blob snapshots: read-only copies that survive overwrites of the base blob and
 * cost nothing until the base changes. Each snapshot is taken `If-Match` the etag recorded at read
 * time. Snapshots are kept on release: deleting evidence is never Tourniquet's to do.
 */
export function snapshotBlobs(
  clients: AzureClients,
  fanout?: EvidenceFanout,
): Executor<SnapshotBlobs, SnapshotsBefore> {
  const containerOf = (a: SnapshotBlobs) =>
    clients.blob(a.params.accountName).getContainerClient(a.params.container);
  return {
    permissions: [
      'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      // The fan-out path (more than limits.evidenceJobAbove blobs): one queue message per page.
      ...FANOUT_PERMISSIONS,
    ],

    async read(action) {
      const container = containerOf(action);
      const { keys, prefixes, maxObjects } = action.params;
      // Above limits.evidenceJobAbove the pages go to the fan-out function: list one blob past it only.
      const job = fanout && maxObjects > fanout.above ? fanout : undefined;
      const max = job ? job.above : maxObjects;
      const named = valuesOrThrow(await mapLimit(keys, PARALLEL, (name) => properties(container, name)));
      const blobs = new Map<string, BlobRecord>();
      for (const b of named) if (b) blobs.set(b.name, b);
      let truncated = false;
      for (const prefix of prefixes) {
        for await (const item of container.listBlobsFlat({ prefix })) {
          if (blobs.has(item.name)) continue;
          if (blobs.size >= max) {
            truncated = true;
            break;
          }
          blobs.set(item.name, blobRecord(item));
        }
        if (truncated) break;
      }
      const missing = keys.filter((_, i) => !named[i]);
      if (job && truncated) {
        const viaFanout = `more than ${job.above} blobs (limits.evidenceJobAbove): snapshotted and copied page by page by the evidence fan-out function`;
        return { blobs: [], missing, truncated: false, viaFanout };
      }
      return { blobs: [...blobs.values()], missing, truncated };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const container = containerOf(action);
      if (before.viaFanout && fanout) return startFanout(fanout, container, action, ctx.incidentId);
      // A snapshot an earlier attempt took (its answer lost, or the invocation killed after it) is
      // found by its tag and kept, not taken twice: one listing per prefix, not a call per blob.
      const metadata = { [INCIDENT_TAG]: ctx.incidentId };
      const earlier = await taggedSnapshots(container, action.params, metadata);
      const taken = valuesOrThrow(
        await mapLimit(before.blobs, PARALLEL, async (blob) => {
          const found = earlier.get(blob.name);
          return found ? { ...blob, snapshot: found } : snapshotBlob(container, blob, metadata);
        }),
      );
      const snapshots = taken.filter((s) => !!s);
      const vanished = before.blobs.filter((_, i) => !taken[i]).map((b) => b.name);
      return {
        outcome: 'applied',
        details: { snapshots, missing: [...before.missing, ...vanished], truncated: before.truncated },
      };
    },

    async undo(_action, before): Promise<Applied> {
      return {
        outcome: 'already-applied',
        details: { kept: before.blobs.length, reason: 'snapshots are evidence and are kept' },
      };
    },
  };
}

/**
 * Snapshots one blob `If-Match` the etag recorded at read time; when it changed since, snapshots
 * what is there now and says so. Undefined when the blob is gone.
 */
export async function snapshotBlob(
  container: ContainerClient,
  blob: BlobRecord,
  metadata?: Record<string, string>,
): Promise<SnapshotRecord | undefined> {
  const client = container.getBlobClient(blob.name);
  const meta = metadata ? { metadata } : {};
  const pinned = await azureCall(
    () => client.createSnapshot({ conditions: { ifMatch: blob.etag }, ...meta }),
    {
      '412': () => 'changed' as const,
      '404': () => 'gone' as const,
    },
  );
  if (pinned === 'gone') return undefined;
  if (pinned !== 'changed') return { ...blob, snapshot: pinned.snapshot ?? '' };
  const current = await properties(container, blob.name);
  if (!current) return undefined;
  const again = await azureCall(() =>
    client.createSnapshot({ conditions: { ifMatch: current.etag }, ...meta }),
  );
  return { ...current, snapshot: again.snapshot ?? '', changedSinceRead: true };
}

/**
 * The snapshots tagged `metadata` (one key and value) among the action's named blobs and prefixes,
 * by blob name: the ones an earlier attempt of the same incident took.
 */
async function taggedSnapshots(
  container: ContainerClient,
  params: Pick<SnapshotBlobs['params'], 'keys' | 'prefixes'>,
  metadata: Record<string, string>,
): Promise<Map<string, string>> {
  const [key, value] = Object.entries(metadata)[0] ?? ['', ''];
  const found = new Map<string, string>();
  const scan = async (prefix: string, exact?: string) => {
    for await (const item of container.listBlobsFlat({
      prefix,
      includeSnapshots: true,
      includeMetadata: true,
    })) {
      if (!item.snapshot || item.metadata?.[key] !== value) continue;
      if (exact === undefined || item.name === exact) found.set(item.name, item.snapshot);
    }
  };
  for (const name of params.keys) await scan(name, name);
  for (const prefix of params.prefixes) await scan(prefix);
  return found;
}
