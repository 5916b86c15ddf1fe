import type { Readable } from 'node:stream';
import type { BlobClient } from '@azure/storage-blob';
import { RejectedInputError, TransientError } from '../../core/errors.ts';
import { parseBlobUrl, parseStorageAccountId } from '../../packs/azure/names.ts';
import { readEnvelope } from '../events/envelope.ts';

/** A log blob a BlobCreated event names. */
export interface LogBlob {
  account: string;
  subscriptionId: string;
  container: string;
  blob: string;
}

/**
 * The blob a `Microsoft.Storage.BlobCreated` event names (Event Grid or CloudEvents schema,
 * MicrosoftDocs/azure-docs articles/event-grid/event-schema-blob-storage.md). Topic, subject and
 * `data.url` must agree, as in the containment parser; anything else is rejected.
 */
export function logBlobOf(event: unknown): LogBlob {
  const e = readEnvelope(event, 'event');
  if (e.type !== 'Microsoft.Storage.BlobCreated')
    throw new RejectedInputError(`${e.type} is not a BlobCreated event`);
  const account = parseStorageAccountId(e.topic);
  const m = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/s.exec(e.subject);
  const url = parseBlobUrl(String(e.data.url ?? ''));
  if (
    !account ||
    !m?.[1] ||
    !m[2] ||
    !url ||
    url.account !== account.name ||
    url.container !== m[1] ||
    url.blob !== m[2]
  ) {
    throw new RejectedInputError(
      'BlobCreated event whose topic, subject and data.url do not name the same blob',
    );
  }
  return { account: account.name, subscriptionId: account.subscriptionId, container: m[1], blob: m[2] };
}

const HOURLY = /^(.*\/y=(\d{4})\/m=(\d{2})\/d=(\d{2})\/h=(\d{2})\/m=00\/)(PT1H\.json)$/;

/**
 * The blob that is complete when this one is created. Azure Monitor writes resource logs and
 * flow logs into one `…/y=/m=/d=/h=/m=00/PT1H.json` blob per hour and keeps appending to it; a
 * BlobCreated fires when the hour's blob appears (and, for block blobs, at every commit). So the
 * creation of hour H means hour H−1 is finished: that one is scanned. Other blobs are scanned as is.
 */
export function completedBlob(b: LogBlob): LogBlob {
  const m = HOURLY.exec(b.blob);
  if (!m) return b;
  const hour = new Date(Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), Number(m[5])) - 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const prefix = (m[1] ?? '').replace(/y=\d{4}\/m=\d{2}\/d=\d{2}\/h=\d{2}\/m=00\/$/, '');
  const path = `y=${hour.getUTCFullYear()}/m=${pad(hour.getUTCMonth() + 1)}/d=${pad(hour.getUTCDate())}/h=${pad(hour.getUTCHours())}/m=00/`;
  return { ...b, blob: `${prefix}${path}${m[6]}` };
}

/** The blob's content as a stream, or undefined when it does not exist (no earlier hour). */
export async function openBlob(client: BlobClient): Promise<Readable | undefined> {
  try {
    const response = await client.download();
    return response.readableStreamBody as Readable | undefined;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    if (status === 404) return undefined;
    if (status === 429 || status >= 500)
      throw new TransientError(`Blob download HTTP ${status}`, { cause: error });
    throw error;
  }
}
