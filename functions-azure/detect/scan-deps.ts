import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { blobEndpoint } from '../../core/azure/names.ts';
import { parseConfigText } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';
import { memoize } from '../clients.ts';
import type { AzureScanDeps } from '../functions/scan.ts';
import { tableWindowStore } from './table-window-store.ts';

let deps: AzureScanDeps | undefined;

/**
 * Built once per cold start: configuration from `TOURNIQUET_CONFIG` (fails closed), the window
 * table from `SCAN_STATE_TABLE_URL` (`https://<account>.table.core.windows.net/<table>`), blobs read
 * with the function's managed identity. Containment is added by the composition root.
 */
export async function azureScanDeps(): Promise<AzureScanDeps> {
  if (deps) return deps;
  const config = parseConfigText(process.env.TOURNIQUET_CONFIG, 'TOURNIQUET_CONFIG');
  const tableUrl =
    /^(https:\/\/[a-z0-9]{3,24}\.table\.core\.windows\.net)\/([A-Za-z][A-Za-z0-9]{2,62})$/.exec(
      process.env.SCAN_STATE_TABLE_URL ?? '',
    );
  if (!tableUrl?.[1] || !tableUrl[2])
    throw new ConfigError('SCAN_STATE_TABLE_URL must be https://<account>.table.core.windows.net/<table>');
  const credential = new DefaultAzureCredential();
  const service = memoize((account) => new BlobServiceClient(blobEndpoint(account), credential));
  deps = {
    config,
    state: tableWindowStore(new TableClient(tableUrl[1], tableUrl[2], credential)),
    blobClient: (b) => service(b.account).getContainerClient(b.container).getBlobClient(b.blob),
  };
  return deps;
}
