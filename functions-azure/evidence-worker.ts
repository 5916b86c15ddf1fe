import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { incidentJobs, type JobEndResult, recordJobEnd } from '../core/evidence-jobs.ts';
import { isIncidentId } from '../core/incident-id.ts';
import type { IncidentJournal, WriteOnceStore } from '../core/journal.ts';
import { mapLimit } from '../core/map-limit.ts';
import type { PackOutcome } from '../core/respond.ts';
import type { CopyBlobEvidence, SnapshotBlobs } from '../packs/azure/actions.ts';
import type { AzureClients } from './clients.ts';
import { type CopyRecord, snapshotCopier } from './executors/copy-blob-evidence.ts';
import {
  FANOUT_ENGINE,
  type FanoutManifest,
  type FanoutMessage,
  type FanoutPageBody,
  fanoutFolder,
  pageKey,
} from './executors/evidence-fanout.ts';
import { type SnapshotRecord, snapshotBlob } from './executors/snapshot-blobs.ts';

/** Data actions of the queue trigger (peek, then delete each message it completed). */
export const FANOUT_WORKER_PERMISSIONS = [
  'data:Microsoft.Storage/storageAccounts/queueServices/queues/messages/read',
  'data:Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete',
  'data:Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action',
] as const;

export interface FanoutWorkerDeps {
  clients: AzureClients;
  /** The evidence container as a write-once store: manifest, pages, results, report. */
  store: WriteOnceStore;
  journal: IncidentJournal;
  publishPack?: (incidentId: string, phase: 'contain') => Promise<PackOutcome>;
  location: (key: string) => string;
  now?: () => Date;
  pollIntervalMs?: number;
}

/** One blob of a page, as its result records it. */
export interface PageBlobResult {
  name: string;
  outcome: 'pinned' | 'missing' | 'failed';
  snapshot?: SnapshotRecord;
  copy?: CopyRecord;
  error?: string;
}

export type FanoutWorkResult =
  | { status: 'rejected'; reason: string }
  | {
      status: 'worked' | 'duplicate';
      incidentId: string;
      page: number;
      pinned: number;
      failed: number;
      /** Set when this page was the last to report: the job's end, as recorded in the journal. */
      end?: JobEndResult;
    };

const PARALLEL = 16;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Works one page of a fan-out job (the `tourniquet-evidence-worker` queue trigger): snapshots
 * each blob `If-Match` the etag listed, copies the snapshot to the evidence container when the
 * plan has a copy action for it, and writes the page's result once. The message only names the
 * page; what to do comes from the incident's journal (its plan and the job its action recorded)
 * and the page the manifest fixed (checked against the manifest's SHA-256), so a forged or stale
 * message changes nothing. The worker whose result completes the set writes the completion report
 * and records the job's end in the journal (once, whoever gets there first).
 *
 * `retry` (a redelivery of the message) first looks for a snapshot this job already took of a
 * blob (tagged `tourniquetjob` in its metadata), so a page redelivered after a crash does not pin
 * a blob twice. Per-blob failures are recorded as such; a failure before any blob was worked
 * throws, and the queue delivers the message again.
 */
export async function workFanoutPage(
  body: unknown,
  deps: FanoutWorkerDeps,
  retry = false,
): Promise<FanoutWorkResult> {
  const m = parseFanoutMessage(body);
  if (typeof m === 'string') return { status: 'rejected', reason: m };
  const state = await deps.journal.load(m.incidentId);
  if (!state) return { status: 'rejected', reason: `no journal for incident ${m.incidentId}` };
  const started = incidentJobs(state).find(
    (j) => j.actionId === m.actionId && j.job.id === m.jobId && j.job.engine === FANOUT_ENGINE,
  );
  const actions = state.record.decision.actions;
  const snap = actions.find((a): a is SnapshotBlobs => a.id === m.actionId && a.kind === 'snapshot-blobs');
  if (!started || !snap)
    return { status: 'rejected', reason: `incident ${m.incidentId} started no fan-out job ${m.jobId}` };
  const folder = fanoutFolder(m.incidentId, m.actionId);
  const manifest = await readJson<FanoutManifest>(deps.store, `${folder}manifest.json`);
  const entry = manifest?.jobId === m.jobId ? manifest.pages.find((p) => p.page === m.page) : undefined;
  if (!manifest || !entry)
    return { status: 'rejected', reason: `job ${m.jobId} has no page ${m.page} in its manifest` };
  const resultKey = resultKeyOf(folder, m.jobId, m.page);
  const done = await readJson<{ pinned: number; failed: number }>(deps.store, resultKey);
  const outcome = done
    ? { status: 'duplicate' as const, pinned: done.pinned, failed: done.failed }
    : await claimed(deps, folder, m, (earlier) =>
        workPage(deps, m, snap, actions, folder, entry.sha256, retry || earlier),
      );
  if (outcome.status === 'rejected') return { status: 'rejected', reason: outcome.reason };
  const end = await completeIfLast(deps, m, manifest, folder);
  return { ...outcome, incidentId: m.incidentId, page: m.page, ...(end ? { end } : {}) };
}

async function workPage(
  deps: FanoutWorkerDeps,
  m: FanoutMessage,
  snap: SnapshotBlobs,
  actions: readonly { id: string; kind: string }[],
  folder: string,
  sha256: string,
  retry: boolean,
) {
  const text = await deps.store.get(pageKey(folder, m.jobId, m.page));
  if (text === undefined || createHash('sha256').update(text, 'utf8').digest('hex') !== sha256)
    return {
      status: 'rejected' as const,
      reason: `page ${m.page} of job ${m.jobId} does not match its manifest`,
    };
  const page = JSON.parse(text) as FanoutPageBody;
  const p = snap.params;
  const container = deps.clients.blob(p.accountName).getContainerClient(p.container);
  const copyAction = actions.find(
    (a): a is CopyBlobEvidence =>
      a.kind === 'copy-blob-evidence' && (a as CopyBlobEvidence).params.snapshotAction === snap.id,
  );
  const copy = copyAction
    ? snapshotCopier(deps.clients, copyAction.params, {
        now: deps.now ?? (() => new Date()),
        pollIntervalMs: deps.pollIntervalMs ?? 2000,
      })
    : undefined;
  const metadata = { tourniquetjob: m.jobId };
  const settled = await mapLimit(page.blobs, PARALLEL, async (blob): Promise<PageBlobResult> => {
    const earlier = retry ? await snapshotTaken(container, blob.name, m.jobId) : undefined;
    const snapshot = earlier ?? (await snapshotBlob(container, blob, metadata));
    if (!snapshot) return { name: blob.name, outcome: 'missing' };
    return { name: blob.name, outcome: 'pinned', snapshot, ...(copy ? { copy: await copy(snapshot) } : {}) };
  });
  const blobs = settled.map(
    (r, i): PageBlobResult =>
      r.status === 'fulfilled'
        ? r.value
        : {
            name: page.blobs[i]?.name ?? '',
            outcome: 'failed',
            error: String((r.reason as Error)?.message ?? r.reason),
          },
  );
  const pinned = blobs.filter((b) => b.outcome === 'pinned').length;
  const failed = blobs.filter((b) => b.outcome === 'failed').length;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const written = await deps.store.create(
    resultKeyOf(folder, m.jobId, m.page),
    `${JSON.stringify({ jobId: m.jobId, page: m.page, at, pinned, failed, blobs })}\n`,
  );
  return { status: written ? ('worked' as const) : ('duplicate' as const), pinned, failed };
}

/**
 * When every page has its result, writes the completion report (each page's counts and the SHA-256
 * of its result) once and records the job's end in the journal. Every worker asks after writing its
 * own result, so the last one to write always sees the whole set.
 */
async function completeIfLast(
  deps: FanoutWorkerDeps,
  m: FanoutMessage,
  manifest: FanoutManifest,
  folder: string,
): Promise<JobEndResult | undefined> {
  const prefix = `${folder}${m.jobId}/result-`;
  const keys = (await deps.store.list(prefix)).sort();
  if (keys.length < manifest.pages.length) return undefined;
  const pages = [];
  let pinned = 0;
  let failed = 0;
  for (const key of keys) {
    const text = (await deps.store.get(key)) ?? '';
    const r = JSON.parse(text) as { page: number; pinned: number; failed: number; blobs: unknown[] };
    pinned += r.pinned;
    failed += r.failed;
    pages.push({
      page: r.page,
      blobs: r.blobs.length,
      pinned: r.pinned,
      failed: r.failed,
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    });
  }
  const total = manifest.objects;
  const reportKey = `${folder}${m.jobId}/report.json`;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  await deps.store.create(
    reportKey,
    `${JSON.stringify({ jobId: m.jobId, at, total, pinned, failed, pages })}\n`,
  );
  const report = await readJson<{ at: string; total: number; pinned: number; failed: number }>(
    deps.store,
    reportKey,
  );
  return recordJobEnd(
    {
      incidentId: m.incidentId,
      jobId: m.jobId,
      at: report?.at ?? at,
      status: 'complete',
      tasks: {
        total: report?.total ?? total,
        succeeded: report?.pinned ?? pinned,
        failed: report?.failed ?? failed,
      },
      report: { location: deps.location(reportKey) },
    },
    { journal: deps.journal, ...(deps.publishPack ? { publishPack: deps.publishPack } : {}) },
  );
}

/** How long a worker holds a page: longer than host.json functionTimeout (10 minutes). */
export const PAGE_HOLD_MS = 11 * 60_000;

/**
 * Works a page under a claim (write-once `claim-<page>-<n>.json`): a second delivery of the same
 * page while the first works it (a redelivered contain queues every page again) is thrown back to
 * the queue, which delivers it later, when the result is there. A claim past its hold was a worker
 * that died: the next one takes over and looks for the snapshots it took (`earlier`).
 */
async function claimed<T>(
  deps: FanoutWorkerDeps,
  folder: string,
  m: FanoutMessage,
  work: (earlier: boolean) => Promise<T>,
): Promise<T> {
  const now = (deps.now ?? (() => new Date()))();
  for (let n = 1; n <= 20; n++) {
    const key = `${folder}${m.jobId}/claim-${String(m.page).padStart(5, '0')}-${n}.json`;
    const until = new Date(now.getTime() + PAGE_HOLD_MS).toISOString();
    if (await deps.store.create(key, `${JSON.stringify({ at: now.toISOString(), until })}\n`))
      return work(n > 1);
    const held = await readJson<{ until: string }>(deps.store, key);
    if (held && Date.parse(held.until) > now.getTime())
      throw new Error(
        `page ${m.page} of job ${m.jobId} is being worked by another delivery until ${held.until}`,
      );
  }
  throw new Error(`page ${m.page} of job ${m.jobId} was claimed 20 times without a result: left to humans`);
}

/** The snapshot this job took of `name` on an earlier delivery of the same page, if any. */
async function snapshotTaken(
  container: ContainerClient,
  name: string,
  jobId: string,
): Promise<SnapshotRecord | undefined> {
  for await (const item of container.listBlobsFlat({
    prefix: name,
    includeSnapshots: true,
    includeMetadata: true,
  })) {
    if (item.name !== name || !item.snapshot || item.metadata?.tourniquetjob !== jobId) continue;
    return {
      name,
      etag: item.properties.etag,
      contentLength: item.properties.contentLength ?? 0,
      ...(item.properties.contentMD5
        ? { contentMD5: Buffer.from(item.properties.contentMD5).toString('base64') }
        : {}),
      snapshot: item.snapshot,
    };
  }
  return undefined;
}

const resultKeyOf = (folder: string, jobId: string, page: number) =>
  `${folder}${jobId}/result-${String(page).padStart(5, '0')}.json`;

async function readJson<T>(store: WriteOnceStore, key: string): Promise<T | undefined> {
  const text = await store.get(key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** The message, strictly: exactly the five fields, each of its shape; otherwise why not. */
export function parseFanoutMessage(body: unknown): FanoutMessage | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the message is not a JSON object';
  const m = body as Record<string, unknown>;
  const extra = Object.keys(m).filter((k) => !['v', 'incidentId', 'actionId', 'jobId', 'page'].includes(k));
  if (extra.length) return `unexpected fields ${extra.join(', ')}`;
  if (m.v !== 1) return 'v must be 1';
  if (typeof m.incidentId !== 'string' || !isIncidentId(m.incidentId))
    return 'incidentId is not an incident id';
  if (typeof m.actionId !== 'string' || !/^a\d{1,4}$/.test(m.actionId)) return 'actionId is not an action id';
  if (typeof m.jobId !== 'string' || !ID.test(m.jobId)) return 'jobId is not a job id';
  if (typeof m.page !== 'number' || !Number.isInteger(m.page) || m.page < 1 || m.page > 100_000)
    return 'page must be an integer from 1';
  return { v: 1, incidentId: m.incidentId, actionId: m.actionId, jobId: m.jobId, page: m.page };
}
