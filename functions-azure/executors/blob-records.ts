import type { ContainerClient } from '@azure/storage-blob';
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

/** A listed blob as the evidence records it. */
export function blobRecord(item: {
  name: string;
  properties: { etag: string; contentLength?: number; contentMD5?: Uint8Array; lastModified: Date };
}): BlobRecord {
  return {
    name: item.name,
    etag: item.properties.etag,
    contentLength: item.properties.contentLength ?? 0,
    ...(item.properties.contentMD5
      ? { contentMD5: Buffer.from(item.properties.contentMD5).toString('base64') }
      : {}),
    lastModified: item.properties.lastModified.toISOString(),
  };
}

/** A blob's properties as the evidence records them; undefined when it does not exist. */
export async function properties(container: ContainerClient, name: string): Promise<BlobRecord | undefined> {
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
