import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { StorageManagementClient } from '@azure/arm-storage';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { AiAccountsClient } from './ai-accounts-client.ts';
import type { FanoutQueue } from './executors/evidence-fanout.ts';
import type { GraphClient } from './graph-client.ts';

/**
 * The Azure clients the executors use, built once per cold start by wiring.ts (or by a test, over
 * a fake HTTP client or Azurite). ARM clients are per subscription; blob clients per account.
 */
export interface AzureClients {
  authorization(subscriptionId: string): AuthorizationManagementClient;
  storage(subscriptionId: string): StorageManagementClient;
  /** The Blob service of a storage account, by account name. */
  blob(accountName: string): BlobServiceClient;
  graph: GraphClient;
  /** Azure OpenAI / AI Foundry accounts, through ARM (one client for every subscription). */
  ai: AiAccountsClient;
  /**
   * The evidence fan-out queue (`tourniquet-evidence`) of a storage account. Without it, evidence
   * stays on the per-object path, capped at `limits.maxObjects` (docs/evidence-jobs.md).
   */
  queue?(accountName: string): FanoutQueue;
}

/**
 * SDK retry options for every client: the SDK honours `Retry-After` on 429 itself; anything it
 * gives up on becomes a TransientError and the core retries it once more with backoff.
 */
export const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 8000 } as const;

/** Builds a client once per key and keeps it (a map per cold start). */
export function memoize<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    const k = key.toLowerCase();
    let client = made.get(k);
    if (!client) {
      client = make(k);
      made.set(k, client);
    }
    return client;
  };
}
