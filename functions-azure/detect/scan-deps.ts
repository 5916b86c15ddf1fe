import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { ConfigError } from '../../core/errors.ts';
import { blobEndpoint } from '../../packs/azure/names.ts';
import { memoize } from '../clients.ts';
import type { AzureScanDeps } from '../functions/scan.ts';
import { getAzureRuntime } from '../wiring.ts';
import { tableWindowStore } from './table-window-store.ts';

let deps: AzureScanDeps | undefined;

/**
 * Built once per cold start on the composition root (functions-azure/wiring.ts): its
 * configuration and containment, plus the window table named by
 * `SCAN_STATE_TABLE_URL` (`https://<account>.table.core.windows.net/<table>`) and blob readers,
 * both with the function app's managed identity.
 */
export async function azureScanDeps(env: NodeJS.ProcessEnv = process.env): Promise<AzureScanDeps> {
  if (deps) return deps;
  const tableUrl =
    /^(https:\/\/[a-z0-9]{3,24}\.table\.core\.windows\.net)\/([A-Za-z][A-Za-z0-9]{2,62})$/.exec(
      env.SCAN_STATE_TABLE_URL ?? '',
    );
  if (!tableUrl?.[1] || !tableUrl[2])
    throw new ConfigError('SCAN_STATE_TABLE_URL must be https://<account>.table.core.windows.net/<table>');
  const runtime = await getAzureRuntime(env);
  const credential = new DefaultAzureCredential();
  const service = memoize((account) => new BlobServiceClient(blobEndpoint(account), credential));
  deps = {
    config: runtime.config,
    state: tableWindowStore(new TableClient(tableUrl[1], tableUrl[2], credential)),
    blobClient: (b) => service(b.account).getContainerClient(b.container).getBlobClient(b.blob),
    contain: runtime.deps(),
  };
  return deps;
}
