import { createHash, randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { StartedJob } from '../../core/evidence-jobs.ts';
import type { Applied } from '../../core/executor.ts';
import type { WriteOnceStore } from '../../core/journal.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import type { SnapshotBlobs } from '../../packs/azure/actions.ts';
import { type BlobRecord, blobRecord, properties } from './blob-records.ts';

/**
 * The fan-out path of Azure evidence, for containers with more blobs than one invocation can
 * snapshot and copy (`limits.evidenceJobAbove`): the listing is streamed into pages written to the
 * evidence container, fixed once by a write-once manifest, and each page is handed to the
 * queue-triggered `tourniquet-evidence-worker` (functions-azure/evidence-worker.ts) as one message
 * naming it. The action is applied when every page is queued; the incident's evidence is complete
 * when the worker has recorded the job's end in the journal (core/evidence-jobs.ts), as for
 * S3 Batch Operations on AWS (docs/evidence-jobs.md).
 */
export interface EvidenceFanout {
  /** Above this many blobs in one container, the fan-out takes over (`limits.evidenceJobAbove`). */
  above: number;
  /** Blobs per page (one queue message, one worker invocation). */
  pageSize: number;
  /** The evidence container: pages, manifest, results and the completion report go under the incident. */
  store: WriteOnceStore;
  queue: FanoutQueue;
  /** Where `store` keys are, for the completion report's location. */
  location: (key: string) => string;
}

/** The queue the worker is triggered by (`tourniquet-evidence` in the evidence account). */
export interface FanoutQueue {
  send(message: FanoutMessage): Promise<void>;
}

/** One page of work. It names the page only: the worker reads what to do from the journal. */
export interface FanoutMessage {
  v: 1;
  incidentId: string;
  actionId: string;
  /** The job (the run that wrote the manifest). */
  jobId: string;
  page: number;
}

export const FANOUT_QUEUE = 'tourniquet-evidence';
/** Blobs per page: a worker invocation snapshots and copies 500 blobs in ~60 rounds at 16 in flight. */
export const FANOUT_PAGE_SIZE = 500;
export const FANOUT_ENGINE = 'azure-queue-fanout';
/** Data actions of the sender; the worker's trigger reads and deletes (FANOUT_WORKER_PERMISSIONS). */
export const FANOUT_PERMISSIONS = [
  'data:Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action',
] as const;

/** A page as the manifest summarises it. */
export interface FanoutPage {
  page: number;
  objects: number;
  firstKey: string;
  lastKey: string;
  /** SHA-256 of the page blob's exact text. */
  sha256: string;
}

/** Fixed once per action by `manifest.json`: the pages every attempt and the worker follow. */
export interface FanoutManifest {
  jobId: string;
  objects: number;
  bytes: number;
  pages: FanoutPage[];
  /** Set when more blobs matched than `maxObjects`: what was left out, in words. */
  truncated?: string;
}

/** The blobs of one page, as listed. */
export interface FanoutPageBody {
  jobId: string;
  page: number;
  blobs: BlobRecord[];
}

const SEND_PARALLEL = 16;

/** `incidents/<id>/fanout/<action>/` in the evidence container. */
export function fanoutFolder(incidentId: string, actionId: string): string {
  return `incidents/${incidentId}/fanout/${actionId}/`;
}

export const pageKey = (folder: string, jobId: string, page: number) =>
  `${folder}${jobId}/page-${String(page).padStart(5, '0')}.json`;

/**
 * Lists the blobs (named keys first, then each prefix, streamed), writes them page by page, fixes
 * the manifest once (an earlier or concurrent attempt's manifest wins, so every attempt queues the
 * same pages) and queues one message per page. A redelivery queues the pages again: the worker
 * records each page's result once, so a page is never worked twice to completion.
 */
export async function startFanout(
  fanout: EvidenceFanout,
  container: ContainerClient,
  action: SnapshotBlobs,
  incidentId: string,
): Promise<Applied> {
  const folder = fanoutFolder(incidentId, action.id);
  const manifestKey = `${folder}manifest.json`;
  const recorded = await fanout.store.get(manifestKey);
  let manifest = recorded === undefined ? undefined : (JSON.parse(recorded) as FanoutManifest);
  if (!manifest) {
    const built = await writePages(fanout, container, action, folder);
    const fixed = await fanout.store.create(manifestKey, `${JSON.stringify(built)}\n`);
    const winner = fixed ? undefined : await fanout.store.get(manifestKey);
    manifest = winner === undefined ? built : (JSON.parse(winner) as FanoutManifest);
  }
  const { jobId, pages } = manifest;
  valuesOrThrow(
    await mapLimit(pages, SEND_PARALLEL, (p) =>
      fanout.queue.send({ v: 1, incidentId, actionId: action.id, jobId, page: p.page }),
    ),
  );
  const job: StartedJob = {
    id: jobId,
    engine: FANOUT_ENGINE,
    operation: 'snapshot-copy',
    objects: manifest.objects,
    reportPrefix: fanout.location(`${folder}${jobId}/`),
  };
  return {
    outcome: 'applied',
    details: {
      snapshots: [],
      missing: [],
      truncated: !!manifest.truncated,
      fanout: { manifest: fanout.location(manifestKey), ...manifest },
      job,
    },
  };
}

async function writePages(
  fanout: EvidenceFanout,
  container: ContainerClient,
  action: SnapshotBlobs,
  folder: string,
): Promise<FanoutManifest> {
  const { keys, prefixes, maxObjects } = action.params;
  const jobId = randomUUID();
  const seen = new Set<string>();
  const pages: FanoutPage[] = [];
  let page: BlobRecord[] = [];
  let bytes = 0;
  const flush = async () => {
    if (!page.length) return;
    const n = pages.length + 1;
    const text = `${JSON.stringify({ jobId, page: n, blobs: page } satisfies FanoutPageBody)}\n`;
    await fanout.store.create(pageKey(folder, jobId, n), text);
    pages.push({
      page: n,
      objects: page.length,
      firstKey: page[0]?.name ?? '',
      lastKey: page[page.length - 1]?.name ?? '',
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    });
    page = [];
  };
  const add = async (b: BlobRecord) => {
    if (seen.has(b.name) || seen.size >= maxObjects) return;
    seen.add(b.name);
    bytes += b.contentLength;
    page.push(b);
    if (page.length >= fanout.pageSize) await flush();
  };
  let more = false;
  for (const name of keys) {
    const b = await properties(container, name);
    if (b) await add(b);
  }
  for (const prefix of prefixes) {
    for await (const item of container.listBlobsFlat({ prefix })) {
      if (seen.size >= maxObjects && !seen.has(item.name)) {
        more = true;
        break;
      }
      await add(blobRecord(item));
    }
    if (more) break;
  }
  await flush();
  return {
    jobId,
    objects: seen.size,
    bytes,
    pages,
    ...(more
      ? {
          truncated: `more than ${maxObjects} blobs matched the prefixes ${JSON.stringify(prefixes)}: only the first ${maxObjects} are pinned; raise limits.maxObjects or pin the rest by hand`,
        }
      : {}),
  };
}
