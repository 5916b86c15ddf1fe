import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { StorageManagementClient } from '@azure/arm-storage';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { blobEndpoint } from '../core/azure/names.ts';
import { parseConfigText } from '../core/config.ts';
import { type AzureClients, memoize, RETRY_OPTIONS } from './clients.ts';
import { graphClient } from './graph-client.ts';
import { type AzureRuntime, createRuntime } from './runtime.ts';

let runtime: Promise<AzureRuntime> | undefined;

/**
 * The composition root, once per cold start: configuration from `TOURNIQUET_CONFIG` (parsed
 * strictly by the core; invalid or missing configuration fails every invocation closed with the
 * reason), the function app's managed identity (`DefaultAzureCredential`; `AZURE_CLIENT_ID`
 * selects a user-assigned one), ARM clients per subscription, Blob clients per account, Graph.
 * A failed start is not cached: fixing the app setting takes effect on the next invocation.
 */
export function azureRuntime(env: NodeJS.ProcessEnv = process.env): Promise<AzureRuntime> {
  runtime ??= build(env).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function build(env: NodeJS.ProcessEnv): Promise<AzureRuntime> {
  const config = parseConfigText(env.TOURNIQUET_CONFIG, 'TOURNIQUET_CONFIG');
  const credential = new DefaultAzureCredential();
  const options = { retryOptions: RETRY_OPTIONS };
  const clients: AzureClients = {
    authorization: memoize((sub) => new AuthorizationManagementClient(credential, sub, options)),
    storage: memoize((sub) => new StorageManagementClient(credential, sub, options)),
    blob: memoize(
      (account) =>
        new BlobServiceClient(blobEndpoint(account), credential, { retryOptions: { maxTries: 4 } }),
    ),
    graph: graphClient({
      token: async () => {
        const token = await credential.getToken('https://graph.microsoft.com/.default');
        return token.token;
      },
    }),
  };
  return createRuntime(config, clients);
}
