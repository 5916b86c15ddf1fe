import type { EvidenceReader } from '../core/report/evidence-check.ts';
import type { AzureClients } from './clients.ts';
import { azureCall } from './errors.ts';

/** Reads Azure evidence copies (`account/container/blob`) for `tourniquet verify`: Get Blob Properties only. */
export function blobEvidenceReader(clients: Pick<AzureClients, 'blob'>): EvidenceReader {
  return async (location) => {
    const m = /^([a-z0-9]{3,24})\/([^/]+)\/(.+)$/.exec(location);
    if (!m) return undefined;
    const [, account = '', container = '', name = ''] = m;
    const props = await azureCall(
      () => clients.blob(account).getContainerClient(container).getBlobClient(name).getProperties(),
      { '404': () => undefined },
    );
    if (!props) return { exists: false };
    return {
      exists: true,
      size: props.contentLength ?? 0,
      ...(props.contentMD5 ? { md5: Buffer.from(props.contentMD5).toString('base64') } : {}),
    };
  };
}
