import type { ContainerClient } from '@azure/storage-blob';
import type { WriteOnceStore } from '../core/journal.ts';
import { azureCall } from './errors.ts';

/** What the journal needs on the evidence container (data actions). */
export const JOURNAL_PERMISSIONS = [
  'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
  'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
] as const;

/**
 * The core WriteOnceStore on the evidence container: `create` is a Put Blob with
 * `If-None-Match: *`, so exactly one of any number of concurrent writers wins (the others get 409
 * and `false`). With an immutability policy on the container, what was written cannot be changed
 * or deleted either (see evidencePreflight).
 */
export function blobJournalStore(container: ContainerClient): WriteOnceStore {
  return {
    async create(key, body) {
      const bytes = Buffer.from(body, 'utf8');
      const created = await azureCall(
        () =>
          container.getBlockBlobClient(key).upload(bytes, bytes.length, {
            conditions: { ifNoneMatch: '*' },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          }),
        // Only "it exists" means false; any other 409 (a lease, a conflicting operation) is an error.
        {
          BlobAlreadyExists: () => false as const,
          ConditionNotMet: () => false as const,
          BlobImmutableDueToPolicy: () => false as const,
          '412': () => false as const,
        },
      );
      return created !== false;
    },
    async get(key) {
      const buffer = await azureCall(() => container.getBlobClient(key).downloadToBuffer(), {
        '404': () => undefined,
      });
      return buffer?.toString('utf8');
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const blob of container.listBlobsFlat({ prefix })) keys.push(blob.name);
      return keys;
    },
  };
}
