/**
 * The Azure evidence fan-out end to end on Azurite (blobs and the queue): a container with more
 * blobs than limits.evidenceJobAbove is listed into pages in the evidence container, each page is
 * one message on the queue, the queue-triggered worker snapshots and copies a page, and the last
 * page records the job's end in the journal with the completion report.
 */
import { randomBytes } from 'node:crypto';
import { QueueServiceClient } from '@azure/storage-queue';
import { describe, expect, inject, it } from 'vitest';
import { incidentJobs } from '../../core/evidence-jobs.ts';
import { mapLimit, valuesOrThrow } from '../../core/map-limit.ts';
import { evidenceQueue } from '../../functions-azure/evidence-queue.ts';
import { parseFanoutMessage } from '../../functions-azure/evidence-worker.ts';
import { eventGridHandler } from '../../functions-azure/functions/event-grid.ts';
import { evidenceWorkerHandler } from '../../functions-azure/functions/evidence-worker.ts';
import { azureStack, blobsIn, exfiltrationEvent, invocation, snapshotsIn } from './support/stack.ts';

const BLOBS = 230; // plus the stack's checkpoint: 231 blobs under checkpoints/
const PAGE = 40; // 6 pages

async function fanoutStack(now?: () => Date) {
  const queues = QueueServiceClient.fromConnectionString(inject('azurite').connectionString, {
    retryOptions: { maxTries: 1 },
  });
  const queue = queues.getQueueClient(`evidence-${randomBytes(5).toString('hex')}`);
  await queue.create();
  const s = await azureStack(
    'enforce',
    {},
    { limits: { maxObjects: 1000, evidenceJobAbove: 100 } },
    { fanoutPageSize: PAGE, queue: () => evidenceQueue(queues, queue.name), ...(now ? { now } : {}) },
  );
  valuesOrThrow(
    await mapLimit(
      Array.from({ length: BLOBS }, (_, i) => `checkpoints/shard-${String(i).padStart(4, '0')}.bin`),
      16,
      (name) => s.weights.getBlockBlobClient(name).upload(name, name.length),
    ),
  );
  /** Every message on the queue, taken off it as the trigger would, decoded as the host does. */
  const drain = async () => {
    const out: unknown[] = [];
    for (;;) {
      const got = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
      if (!got.receivedMessageItems.length) return out;
      for (const m of got.receivedMessageItems) {
        out.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
        await queue.deleteMessage(m.messageId, m.popReceipt);
      }
    }
  };
  const work = (message: unknown, dequeueCount = 1) => {
    const { context, lines } = invocation('tourniquet-evidence-worker');
    (context as { triggerMetadata: Record<string, unknown> }).triggerMetadata = { dequeueCount };
    return evidenceWorkerHandler(s.getRuntime)(message, context).then(() => lines);
  };
  return { ...s, drain, work };
}

async function contain(s: Awaited<ReturnType<typeof fanoutStack>>) {
  const { context, lines } = invocation();
  await eventGridHandler(s.getRuntime)(exfiltrationEvent(s.weights), context);
  const decision = lines.find((l) => l.msg === 'decision') as { incidentId: string; status: string };
  return decision;
}

describe('Azure evidence fan-out (queue-triggered worker)', () => {
  it('hands a container above limits.evidenceJobAbove to the worker page by page, and the last page completes the evidence', async () => {
    const s = await fanoutStack();
    const decision = await contain(s);
    expect(decision.status).toBe('contained');
    // The contain invocation took no snapshot itself: it queued one message per page.
    expect(await snapshotsIn(s.weights)).toBe(0);
    const messages = await s.drain();
    expect(messages).toHaveLength(6);
    const state = await s.runtime.deps().journal.load(decision.incidentId);
    const [job] = state ? incidentJobs(state) : [];
    expect(job?.job).toMatchObject({
      engine: 'azure-queue-fanout',
      operation: 'snapshot-copy',
      objects: 231,
    });
    expect(job?.end).toBeUndefined();
    expect(messages.map((m) => parseFanoutMessage(m))).toEqual(
      [1, 2, 3, 4, 5, 6].map((page) => ({
        v: 1,
        incidentId: decision.incidentId,
        actionId: job?.actionId,
        jobId: job?.job.id,
        page,
      })),
    );

    // Out of order, one page delivered twice at once (at least once delivery, or a contain retry
    // that queued every page again), one redelivered later.
    const [m1, m2, m3, m4, m5, m6] = messages;
    const first = await Promise.allSettled([s.work(m4), s.work(m4), s.work(m1)]);
    // One of the two deliveries of page 4 found it held and went back to the queue.
    expect(first.filter((r) => r.status === 'rejected')).toHaveLength(1);
    await Promise.all([s.work(m6), s.work(m2), s.work(m5)]);
    const last = await s.work(m3);
    await s.work(m1, 3);
    await s.work(m4, 2); // the queue's redelivery of the held one: recorded already, nothing done

    expect(last).toContainEqual(expect.objectContaining({ msg: 'evidence complete' }));
    expect(await snapshotsIn(s.weights)).toBe(231);
    const prefix = `incidents/${decision.incidentId}/blobs/stweights/${s.weights.containerName}/checkpoints/`;
    const copies = (await blobsIn(s.evidence)).filter((n) => n.startsWith(prefix));
    expect(copies).toHaveLength(231);
    const copy = await s.evidence.getBlobClient(`${prefix}shard-0042.bin`).downloadToBuffer();
    expect(copy.toString()).toBe('checkpoints/shard-0042.bin');

    const after = await s.runtime.deps().journal.load(decision.incidentId);
    const [ended] = after ? incidentJobs(after) : [];
    expect(ended?.end).toMatchObject({
      jobId: job?.job.id,
      status: 'complete',
      tasks: { total: 231, succeeded: 231, failed: 0 },
      report: { location: expect.stringContaining(`/fanout/${job?.actionId}/${job?.job.id}/report.json`) },
    });
    const report = JSON.parse(
      (
        await s.evidence
          .getBlobClient(
            `incidents/${decision.incidentId}/fanout/${job?.actionId}/${job?.job.id}/report.json`,
          )
          .downloadToBuffer()
      ).toString(),
    );
    expect(report).toMatchObject({ total: 231, pinned: 231, failed: 0 });
    expect(report.pages.map((p: { page: number }) => p.page)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  it('leaves forged, stale and malformed messages alone: nothing pinned', async () => {
    const s = await fanoutStack();
    const decision = await contain(s);
    const [m] = (await s.drain()) as Record<string, unknown>[];
    const forged = [
      { ...m, jobId: '00000000-0000-4000-8000-000000000000' },
      { ...m, page: 99 },
      { ...m, incidentId: 'ir-nobody-knows' },
      { ...m, extra: 'field' },
      { ...m, actionId: '../a1' },
      'not json',
      null,
    ];
    for (const f of forged) {
      const lines = await s.work(f);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'evidence page left alone' }));
    }
    expect(await snapshotsIn(s.weights)).toBe(0);
    expect(decision.status).toBe('contained');
  }, 60_000);

  it('a page redelivered after the worker died before recording it pins no blob twice', async () => {
    let clock = Date.now();
    const s = await fanoutStack(() => new Date(clock));
    const decision = await contain(s);
    const [m] = (await s.drain()) as { actionId: string; jobId: string }[];
    await s.work(m);
    expect(await snapshotsIn(s.weights)).toBe(PAGE);
    // The worker "died" after its snapshots and before its result: the result is not there.
    await s.evidence
      .getBlobClient(`incidents/${decision.incidentId}/fanout/${m?.actionId}/${m?.jobId}/result-00001.json`)
      .delete();
    // Redelivered while the dead worker's claim still holds: back to the queue, nothing done.
    await expect(s.work(m, 2)).rejects.toThrow(/being worked by another delivery/);
    clock += 12 * 60_000;
    const lines = await s.work(m, 3);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'evidence page', status: 'worked' }));
    expect(await snapshotsIn(s.weights)).toBe(PAGE);
  }, 60_000);
});
