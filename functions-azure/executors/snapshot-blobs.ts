import type { ContainerClient } from '@azure/storage-blob';
import type { Applied, Executor } from '../../core/executor.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import type { SnapshotBlobs } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';

/** A blob as read before the snapshot: what the evidence must match. */
export interface BlobRecord {
  name: string;
  etag: string;
  contentLength: number;
  /** Base64 Content-MD5 as Storage reports it; absent for blobs uploaded in blocks without one. */
  contentMD5?: string;
  lastModified?: string;
}

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
}

const PARALLEL = 16;

/**
 * Pins evidence with blob snapshots: read-only copies that survive overwrites of the base blob and
 * cost nothing until the base changes. Each snapshot is taken `If-Match` the etag recorded at read
 * time. Snapshots are kept on release: deleting evidence is never Tourniquet's to do.
 */
export function snapshotBlobs(clients: AzureClients): Executor<SnapshotBlobs, SnapshotsBefore> {
  const containerOf = (a: SnapshotBlobs) =>
    clients.blob(a.params.accountName).getContainerClient(a.params.container);
  return {
    permissions: [
      'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
    ],

    async read(action) {
      const container = containerOf(action);
      const { keys, prefixes, maxObjects } = action.params;
      const named = valuesOrThrow(await mapLimit(keys, PARALLEL, (name) => properties(container, name)));
      const blobs = new Map<string, BlobRecord>();
      for (const b of named) if (b) blobs.set(b.name, b);
      let truncated = false;
      for (const prefix of prefixes) {
        for await (const item of container.listBlobsFlat({ prefix })) {
          if (blobs.size >= maxObjects) {
            truncated = true;
            break;
          }
          blobs.set(item.name, {
            name: item.name,
            etag: item.properties.etag,
            contentLength: item.properties.contentLength ?? 0,
            ...(item.properties.contentMD5
              ? { contentMD5: Buffer.from(item.properties.contentMD5).toString('base64') }
              : {}),
            lastModified: item.properties.lastModified.toISOString(),
          });
        }
      }
      return { blobs: [...blobs.values()], missing: keys.filter((_, i) => !named[i]), truncated };
    },

    async apply(action, before): Promise<Applied> {
      const container = containerOf(action);
      const taken = valuesOrThrow(
        await mapLimit(before.blobs, PARALLEL, async (blob): Promise<SnapshotRecord | undefined> => {
          const client = container.getBlobClient(blob.name);
          const pinned = await azureCall(
            () => client.createSnapshot({ conditions: { ifMatch: blob.etag } }),
            {
              '412': () => 'changed' as const,
              '404': () => 'gone' as const,
            },
          );
          if (pinned === 'gone') return undefined;
          if (pinned !== 'changed') return { ...blob, snapshot: pinned.snapshot ?? '' };
          // Changed since the read: keep what is there now and say so.
          const current = await properties(container, blob.name);
          if (!current) return undefined;
          const again = await azureCall(() =>
            client.createSnapshot({ conditions: { ifMatch: current.etag } }),
          );
          return { ...current, snapshot: again.snapshot ?? '', changedSinceRead: true };
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

async function properties(container: ContainerClient, name: string): Promise<BlobRecord | undefined> {
  const p = await azureCall(() => container.getBlobClient(name).getProperties(), { '404': () => undefined });
  if (!p) return undefined;
  return {
    name,
    etag: p.etag ?? '',
    contentLength: p.contentLength ?? 0,
    ...(p.contentMD5 ? { contentMD5: Buffer.from(p.contentMD5).toString('base64') } : {}),
    ...(p.lastModified ? { lastModified: p.lastModified.toISOString() } : {}),
  };
}
