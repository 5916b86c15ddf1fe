import type { Config } from '../core/config.ts';
import type { AzureRuntime } from './runtime.ts';

let runtime: Promise<AzureRuntime> | undefined;

/**
 * The composition root, once per cold start: configuration from `TOURNIQUET_CONFIG` (parsed
 * strictly by the core; invalid or missing configuration fails every invocation closed with the
 * reason), the function app's managed identity (`DefaultAzureCredential`; `AZURE_CLIENT_ID`
 * selects a user-assigned one), ARM clients per subscription, Blob clients per account, Graph.
 * A failed start is not cached: fixing the app setting takes effect on the next invocation.
 */
export function getAzureRuntime(env: NodeJS.ProcessEnv = process.env): Promise<AzureRuntime> {
  runtime ??= build(env).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

/** For tests: forget the cached runtime. */
export function resetAzureRuntime(): void {
  runtime = undefined;
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
    { QueueServiceClient },
  ] = await Promise.all([
    import('@azure/arm-authorization'),
    import('@azure/arm-storage'),
    import('@azure/identity'),
    import('@azure/storage-blob'),
    import('@azure/storage-queue'),
  ]);
  const [
    { blobEndpoint },
    { memoize, RETRY_OPTIONS },
    { graphClient },
    { aiAccountsClient },
    { buildAzureRuntime },
    { evidenceQueue, queueEndpoint },
  ] = await Promise.all([
    import('../packs/azure/names.ts'),
    import('./clients.ts'),
    import('./graph-client.ts'),
    import('./ai-accounts-client.ts'),
    import('./runtime.ts'),
    import('./evidence-queue.ts'),
  ]);
  const credential = new DefaultAzureCredential();
  const options = { retryOptions: RETRY_OPTIONS };
  // A dry run calls nothing, so it needs no token (and works offline: build/invoke-azure.ts).
  const own =
    config.mode === 'enforce'
      ? await ownObjectId(() => credential.getToken('https://management.azure.com/.default'))
      : undefined;
  return buildAzureRuntime(
    withOwnIdentityGuarded(config, own),
    {
      authorization: memoize((sub) => new AuthorizationManagementClient(credential, sub, options)),
      storage: memoize((sub) => new StorageManagementClient(credential, sub, options)),
      blob: memoize(
        (account) =>
          new BlobServiceClient(blobEndpoint(account), credential, { retryOptions: { maxTries: 4 } }),
      ),
      graph: graphClient({
        token: async () => (await credential.getToken('https://graph.microsoft.com/.default')).token,
      }),
      ai: aiAccountsClient({
        token: async () => (await credential.getToken('https://management.azure.com/.default')).token,
      }),
      queue: memoize((account) =>
        evidenceQueue(
          new QueueServiceClient(queueEndpoint(account), credential, { retryOptions: { maxTries: 4 } }),
        ),
      ),
    },
    await findingOptions(env, credential),
  );
}

/**
 * Incident findings go to `FINDINGS_EVENTS_TOPIC` (else the posture timer's `POSTURE_EVENTS_TOPIC`):
 * `https://<topic>.<region>-1.eventgrid.azure.net/api/events`, Entra-authenticated. Without one,
 * none are published.
 */
async function findingOptions(
  env: NodeJS.ProcessEnv,
  credential: { getToken(scope: string): Promise<{ token: string } | null> },
) {
  const topic = env.FINDINGS_EVENTS_TOPIC ?? env.POSTURE_EVENTS_TOPIC;
  if (!topic) return {};
  if (!/^https:\/\/[\w.-]+\.eventgrid\.azure\.net\/api\/events$/.test(topic)) {
    const { ConfigError } = await import('../core/errors.ts');
    throw new ConfigError(
      'FINDINGS_EVENTS_TOPIC must be https://<topic>.<region>-1.eventgrid.azure.net/api/events',
    );
  }
  const [{ eventGridPublisher }, { eventGridIncidentSink }] = await Promise.all([
    import('./posture/event-grid-publisher.ts'),
    import('./incident-findings.ts'),
  ]);
  const publish = eventGridPublisher({
    topicEndpoint: topic,
    token: async () => (await credential.getToken('https://eventgrid.azure.net/.default'))?.token ?? '',
    productVersion: '0.1.0',
  });
  return { findingSink: eventGridIncidentSink(publish) };
}

/**
 * The object id of the identity the functions run as (the `oid` claim of its ARM token), or
 * undefined when no token can be had — then no Azure call can be made either.
 */
async function ownObjectId(token: () => Promise<{ token: string } | null>): Promise<string | undefined> {
  try {
    const jwt = (await token())?.token ?? '';
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      oid?: unknown;
    };
    return typeof claims.oid === 'string' ? claims.oid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tourniquet's own managed identity is a responder whether or not the configuration lists it: its
 * key rotations and role-assignment writes while containing must never be judged, and it must never
 * revoke itself (as the AWS functions add their own roles).
 */
export function withOwnIdentityGuarded(config: Config, objectId: string | undefined): Config {
  const azure = config.azure;
  if (!azure || !objectId || azure.responders.some((r) => r.toLowerCase() === objectId.toLowerCase()))
    return config;
  return { ...config, azure: { ...azure, responders: [...azure.responders, objectId] } };
}
