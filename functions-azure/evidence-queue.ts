import type { QueueServiceClient } from '@azure/storage-queue';
import { azureCall } from './errors.ts';
import { FANOUT_QUEUE, type FanoutMessage, type FanoutQueue } from './executors/evidence-fanout.ts';

/**
 * The fan-out queue of a storage account over @azure/storage-queue. Messages are Base64 JSON, the
 * encoding the Functions queue trigger decodes by default (host.json `extensions.queues`).
 */
export function evidenceQueue(service: QueueServiceClient, name = FANOUT_QUEUE): FanoutQueue {
  const queue = service.getQueueClient(name);
  return {
    async send(message: FanoutMessage) {
      const text = Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
      await azureCall(() => queue.sendMessage(text));
    },
  };
}

/** `https://<account>.queue.core.windows.net` (the public cloud, as blobEndpoint). */
export const queueEndpoint = (account: string) => `https://${account}.queue.core.windows.net`;
