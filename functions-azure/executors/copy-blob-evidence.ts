import type { BlobClient } from '@azure/storage-blob';
import { ActionError } from '../../core/errors.ts';
import type { Applied, ExecContext, Executor } from '../../core/executor.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import type { CopyBlobEvidence } from '../../packs/azure/actions.ts';
import type { AzureClients } from '../clients.ts';
import { azureCall } from '../errors.ts';
import type { SnapshotRecord } from './snapshot-blobs.ts';
import { snapshotSigner } from './source-sas.ts';

export interface CopyOptions {
  now?: () => Date;
  /** How often an asynchronous copy is polled. */
  pollIntervalMs?: number;
}

export interface CopyRecord {
  source: string;
  snapshot: string;
  target: string;
  contentLength: number;
  contentMD5?: string;
  mode: 'sync' | 'async' | 'existing';
}

const PARALLEL = 8;

/**
 * Copies the snapshots recorded by a snapshot-blobs action into the evidence container,
 * server-side (no byte passes through the function): Copy Blob From URL up to `syncCopyMaxBytes`,
 * the asynchronous Copy Blob with polling above. Targets are written `If-None-Match: *`, so
 * evidence is never overwritten; a copy already there is checked against the recorded length and
 * MD5 and kept. Copies are kept on release.
 */
export function copyBlobEvidence(
  clients: AzureClients,
  options: CopyOptions = {},
): Executor<CopyBlobEvidence, { snapshots: number }> {
  const now = options.now ?? (() => new Date());
  return {
    permissions: [
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
      'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
    ],

    async read(action, ctx) {
      return { snapshots: snapshotsOf(action, ctx).length };
    },

    async apply(action, _before, ctx): Promise<Applied> {
      const p = action.params;
      const job = fanoutJobOf(action, ctx);
      if (job) {
        return {
          outcome: 'applied',
          details: { byJob: job, reason: 'copied page by page by the evidence fan-out function' },
        };
      }
      const copy = snapshotCopier(clients, p, { now, pollIntervalMs: options.pollIntervalMs ?? 2000 });
      const copies = valuesOrThrow(await mapLimit(snapshotsOf(action, ctx), PARALLEL, copy));
      return {
        outcome:
          copies.every((c) => c.mode === 'existing') && copies.length > 0 ? 'already-applied' : 'applied',
        details: { evidenceContainer: `${p.evidenceAccountName}/${p.evidenceContainer}`, copies },
      };
    },

    async undo(): Promise<Applied> {
      return { outcome: 'already-applied', details: { reason: 'evidence copies are kept' } };
    },
  };
}

/**
 * Copies one recorded snapshot to `<evidencePrefix><name>` in the evidence container (`If-None-Match: *`;
 * a copy already there is kept) and checks it holds the recorded bytes. Shared with the fan-out worker.
 */
export function snapshotCopier(
  clients: AzureClients,
  p: CopyBlobEvidence['params'],
  options: { now: () => Date; pollIntervalMs: number },
): (s: SnapshotRecord) => Promise<CopyRecord> {
  const sign = snapshotSigner(clients.blob(p.accountName), options.now);
  const evidence = clients.blob(p.evidenceAccountName).getContainerClient(p.evidenceContainer);
  return async (s) => {
    const target = evidence.getBlobClient(`${p.evidencePrefix}${s.name}`);
    const source = await sign(p.container, s.name, s.snapshot);
    const record = {
      source: s.name,
      snapshot: s.snapshot,
      target: target.name,
      contentLength: s.contentLength,
      ...(s.contentMD5 ? { contentMD5: s.contentMD5 } : {}),
    };
    const mode = s.contentLength <= p.syncCopyMaxBytes ? 'sync' : 'async';
    const started = await azureCall(
      async () => {
        if (mode === 'sync') await target.syncCopyFromURL(source, { conditions: { ifNoneMatch: '*' } });
        else
          await (
            await target.beginCopyFromURL(source, {
              conditions: { ifNoneMatch: '*' },
              intervalInMs: options.pollIntervalMs,
            })
          ).pollUntilDone();
        return mode;
      },
      { '409': () => 'existing' as const, '412': () => 'existing' as const },
    );
    await verify(target, s);
    return { ...record, mode: started };
  };
}

/** The fan-out job the snapshot action handed its blobs to, if it did. */
function fanoutJobOf(action: CopyBlobEvidence, ctx: ExecContext): string | undefined {
  const job = ctx.results.get(action.params.snapshotAction)?.details?.job as { id?: unknown } | undefined;
  return typeof job?.id === 'string' ? job.id : undefined;
}

function snapshotsOf(action: CopyBlobEvidence, ctx: ExecContext): SnapshotRecord[] {
  const result = ctx.results.get(action.params.snapshotAction);
  const snapshots = result?.details?.snapshots;
  if (!Array.isArray(snapshots)) {
    throw new ActionError(
      `copy-blob-evidence needs the recorded snapshots of ${action.params.snapshotAction}`,
    );
  }
  return snapshots as SnapshotRecord[];
}

/** The copy must hold the recorded bytes: same length, and the same MD5 when Storage has one. */
async function verify(target: BlobClient, s: SnapshotRecord): Promise<void> {
  const props = await azureCall(() => target.getProperties());
  const md5 = props.contentMD5 ? Buffer.from(props.contentMD5).toString('base64') : undefined;
  if (props.contentLength !== s.contentLength || (s.contentMD5 && md5 && md5 !== s.contentMD5)) {
    throw new ActionError(
      `evidence ${target.name} does not match snapshot ${s.snapshot} of ${s.name} (length ${props.contentLength} vs ${s.contentLength})`,
    );
  }
}
