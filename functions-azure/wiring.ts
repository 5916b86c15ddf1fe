import type { AzureRuntime } from './runtime.ts';

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
  const { parseConfigText } = await import('../core/config.ts');
  const config = parseConfigText(env.TOURNIQUET_CONFIG, 'TOURNIQUET_CONFIG');
  // The SDKs load here, on the first invocation, not when the host loads the app: registering the
  // functions stays fast, and the bundle keeps them in chunks of their own.
  const [
    { AuthorizationManagementClient },
    { StorageManagementClient },
    { DefaultAzureCredential },
    { BlobServiceClient },
  ] = await Promise.all([
    import('@azure/arm-authorization'),
    import('@azure/arm-storage'),
    import('@azure/identity'),
    import('@azure/storage-blob'),
  ]);
  const [{ blobEndpoint }, { memoize, RETRY_OPTIONS }, { graphClient }, { createRuntime }] =
    await Promise.all([
      import('../core/azure/names.ts'),
      import('./clients.ts'),
      import('./graph-client.ts'),
      import('./runtime.ts'),
    ]);
  const credential = new DefaultAzureCredential();
  const options = { retryOptions: RETRY_OPTIONS };
  return createRuntime(config, {
    authorization: memoize((sub) => new AuthorizationManagementClient(credential, sub, options)),
    storage: memoize((sub) => new StorageManagementClient(credential, sub, options)),
    blob: memoize(
      (account) =>
        new BlobServiceClient(blobEndpoint(account), credential, { retryOptions: { maxTries: 4 } }),
    ),
    graph: graphClient({
      token: async () => (await credential.getToken('https://graph.microsoft.com/.default')).token,
    }),
  });
}
