import { randomBytes } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { inject } from 'vitest';
import type { AzureClients } from '../../../functions-azure/clients.ts';

/** The Azurite blob service (one account plays every storage account of the test configuration). */
export function azuriteService(): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(inject('azurite').connectionString, {
    retryOptions: { maxTries: 1 },
  });
}

/** A new, empty container with a unique valid name, so test files never share state. */
export async function freshContainer(service: BlobServiceClient, prefix: string): Promise<ContainerClient> {
  const container = service.getContainerClient(`${prefix}-${randomBytes(5).toString('hex')}`);
  await container.create();
  return container;
}

/** Clients whose data plane is Azurite; ARM and Graph are given by the test (or refuse). */
export function azuriteClients(overrides: Partial<AzureClients> = {}): AzureClients {
  const service = azuriteService();
  const refuse = (what: string) => () => {
    throw new Error(`this test does not expect ${what} calls`);
  };
  return {
    authorization: refuse('ARM authorization') as AzureClients['authorization'],
    storage: refuse('ARM storage') as AzureClients['storage'],
    blob: () => service,
    graph: {
      getServicePrincipal: refuse('Graph') as never,
      setAccountEnabled: refuse('Graph') as never,
    },
    ai: {
      get: refuse('ARM AI account') as never,
      update: refuse('ARM AI account') as never,
      regenerateKey: refuse('ARM AI account') as never,
    },
    ...overrides,
  };
}
