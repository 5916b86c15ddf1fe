/**
 * The ops day's Azure storage users (workloads-ops.ts), as StorageBlobLogs: an AzCopy sync by an
 * automation identity, an Azure ML datastore mount, Front Door origin pulls of public model cards.
 */
import { DAY0, type DayLog, inHour } from './day.ts';
import type { BlobAuth } from './emit-azure.ts';
import { BLOB_BYTES, BLOBS, CONTAINER, STORAGE } from './workloads.ts';

export const AZCOPY_IDENTITY = 'c6933b5c-476b-4e1d-8c4f-333333333333';
const MiB = 1024 ** 2;
const HOUR = 3_600_000;

/** Azure: an AzCopy sync by an automation identity, an Azure ML datastore mount, Front Door origin pulls. */
export function azureOps(log: DayLog): void {
  const rng = log.rng;
  const blobReads = (
    start: number,
    auth: BlobAuth,
    ip: string,
    blobs: readonly string[],
    chunk: number,
    container = CONTAINER,
  ) => {
    let t = start;
    for (const blob of blobs)
      for (let off = 0; off < BLOB_BYTES; off += chunk) {
        const bytes = Math.min(chunk, BLOB_BYTES - off);
        log.blob({ at: t, op: 'GetBlob', account: STORAGE, container, blob, bytes, ip, auth });
        t += Math.round(((bytes / 1.2e9) * 1000) / 16);
      }
  };
  log.actor({
    actor: AZCOPY_IDENTITY,
    principal: AZCOPY_IDENTITY,
    cloud: 'azure',
    what: 'AzCopy sync of the models container (automation identity)',
  });
  // `azcopy sync` to the DR account from a pipeline agent in the VNet, 100 MiB blocks.
  blobReads(
    inHour(rng, 2),
    { type: 'OAuth', objectId: AZCOPY_IDENTITY, principalType: 'ServicePrincipal' },
    `10.30.9.${rng.int(10, 90)}`,
    BLOBS,
    100 * MiB,
  );
  // Azure ML datastore mount (blobfuse2, 16 MiB blocks) from a new compute cluster in the ML subnet.
  log.actor({
    actor: 'b5822a4b-365a-4d0c-9b3e-222222222222',
    principal: 'b5822a4b-365a-4d0c-9b3e-222222222222',
    cloud: 'azure',
    what: 'Azure ML fine-tuning compute',
  });
  blobReads(
    inHour(rng, 14),
    { type: 'OAuth', objectId: 'b5822a4b-365a-4d0c-9b3e-222222222222', principalType: 'ServicePrincipal' },
    `10.30.5.${rng.int(100, 200)}`,
    BLOBS.slice(0, 6),
    16 * MiB,
  );
  // Front Door origin pulls of the public model cards (container `public`, anonymous, Front Door backends).
  for (let i = 0; i < 200; i++) {
    const ip = `147.243.${rng.int(0, 3)}.${rng.int(1, 250)}`;
    log.actor({
      actor: ip,
      principal: ip,
      cloud: 'azure',
      what: 'Front Door origin pull of public model cards',
    });
    log.blob({
      at: DAY0 + rng.int(0, 24 * HOUR - 1),
      op: 'GetBlob',
      account: STORAGE,
      container: 'public',
      blob: `cards/llama-70b-${rng.pick(['README.md', 'LICENSE', 'card.json'])}`,
      bytes: rng.int(2_000, 40_000),
      ip,
      auth: { type: 'Anonymous' },
    });
  }
}
