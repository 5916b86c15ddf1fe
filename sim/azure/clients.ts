import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { StorageManagementClient } from '@azure/arm-storage';
import { aiAccountsClient } from '../../functions-azure/ai-accounts-client.ts';
import { type AzureClients, memoize } from '../../functions-azure/clients.ts';
import { graphClient } from '../../functions-azure/graph-client.ts';
import { aiFetch } from './ai.ts';
import { armHttpClient } from './arm.ts';
import { simulatedBlobService } from './blob.ts';
import { graphFetch } from './graph.ts';
import type { SavedAzure } from './state.ts';

/**
 * The Azure clients the executors take, answered by the simulated estate: the real ARM SDK clients
 * over a simulated `httpClient`, Graph over a simulated `fetch`, Blob service clients in memory.
 */
export function simulatedAzureClients(state: () => SavedAzure): AzureClients {
  const credential = {
    getToken: async () => ({ token: 'simulated', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const options = { httpClient: armHttpClient(state) as never, retryOptions: { maxRetries: 0 } };
  return {
    authorization: memoize((sub) => new AuthorizationManagementClient(credential, sub, options)),
    storage: memoize((sub) => new StorageManagementClient(credential, sub, options)),
    blob: memoize((account) => simulatedBlobService(state, account)),
    graph: graphClient({ token: async () => 'simulated', fetch: graphFetch(state) }),
    ai: aiAccountsClient({ token: async () => 'simulated', fetch: aiFetch(state) }),
  };
}
