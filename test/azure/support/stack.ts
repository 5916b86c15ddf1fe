import { readFileSync } from 'node:fs';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { ContainerClient } from '@azure/storage-blob';
import type { Executor } from '../../../core/executor.ts';
import type { AzureClients } from '../../../functions-azure/clients.ts';
import {
  type AzureRuntime,
  buildAzureRuntime,
  type RuntimeOptions,
} from '../../../functions-azure/runtime.ts';
import { instantRetry } from '../../support/fake-executors.ts';
import { azuriteService, freshContainer } from './azurite.ts';
import { ATTACKER, azureConfig, SUB, WEIGHTS } from './config.ts';
import { fakeAzure } from './fake-http.ts';

/**
 * A whole Azure deployment for one test: the data plane is Azurite (a fresh weights container
 * holding a checkpoint under a stored access policy, a fresh evidence container), ARM and Graph
 * are a scripted fake that records every request. `mode` is the configuration's.
 */
export async function azureStack(
  mode: 'enforce' | 'dry-run' = 'enforce',
  overrides: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
  extra: Pick<RuntimeOptions, 'post' | 'fanoutPageSize' | 'now'> & Pick<AzureClients, 'queue'> = {},
) {
  const service = azuriteService();
  const weights = await freshContainer(service, 'weights');
  const evidence = await freshContainer(service, 'evidence');
  await weights.getBlockBlobClient('checkpoints/model.safetensors').upload('the-weights', 11);
  await weights.setAccessPolicy(undefined, [
    { id: 'partner-read', accessPolicy: { permissions: 'r', expiresOn: new Date(Date.now() + 3_600_000) } },
  ]);
  const sas = await weights
    .getBlobClient('checkpoints/model.safetensors')
    .generateSasUrl({ identifier: 'partner-read' });

  const azure = fakeAzure();
  const account = {
    id: WEIGHTS,
    name: 'stweights',
    properties: {
      allowSharedKeyAccess: true,
      networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] },
    },
  };
  azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body: account });
  azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body: account });
  azure.on('POST', /revokeUserDelegationKeys$/, { status: 200 });
  // The attacker's assignment until it is removed: later listings (a duplicate's read, the
  // release's check of what is back) find none.
  azure.on(
    'GET',
    /roleAssignments\?\$filter/,
    {
      status: 200,
      body: {
        value: [
          {
            properties: {
              roleDefinitionId:
                '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
              principalId: ATTACKER,
              principalType: 'ServicePrincipal',
              scope: WEIGHTS,
            },
            id: `${WEIGHTS}/providers/Microsoft.Authorization/roleAssignments/7c9e2f1a-3b4d-4e5f-8a6b-9c0d1e2f3a4b`,
            name: '7c9e2f1a-3b4d-4e5f-8a6b-9c0d1e2f3a4b',
          },
        ],
      },
    },
    { status: 200, body: { value: [] } },
  );
  azure.on('DELETE', /roleAssignments\//, { status: 200, body: {} });
  azure.on('PUT', /roleAssignments\//, { status: 201, body: {} });

  const config = azureConfig(
    {
      assets: [
        {
          storageAccount: WEIGHTS,
          containers: [weights.containerName],
          kind: 'model-weights',
          prefixes: ['checkpoints/'],
        },
      ],
      evidence: {
        storageAccount: WEIGHTS.replace('rg-ml', 'rg-ir').replace('stweights', 'stevidence'),
        container: evidence.containerName,
      },
      ...overrides,
    },
    { mode, ...top },
  );
  const logged: Record<string, unknown>[] = [];
  const line = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    logged.push({ level, msg, ...fields });
  const log = { info: line('info'), warn: line('warning'), error: line('error') };
  const { queue, ...options } = extra;
  const runtime = buildAzureRuntime(
    config,
    { ...azure.clients(() => service), ...(queue ? { queue } : {}) },
    { retry: instantRetry, copy: { pollIntervalMs: 10 }, log, ...options },
  );
  return { azure, weights, evidence, sas, config, runtime, logged, getRuntime: async () => runtime };
}

/** A Defender exfiltration alert about the stack's weights container, with its own alert id. */
export function exfiltrationEvent(
  container: ContainerClient,
  id = `2517538088322968242_${crypto.randomUUID()}`,
) {
  const alert = JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8'));
  alert.id = alert.id.replace(alert.name, id);
  alert.name = id;
  alert.properties.systemAlertId = id;
  alert.properties.extendedProperties.container = container.containerName;
  return alert;
}

/** An Event Grid listKeys event by the attacker service principal (a unique event id). */
export function listKeysEvent() {
  const [event] = JSON.parse(readFileSync('test/fixtures/azure/eventgrid-listkeys.json', 'utf8'));
  event.id = crypto.randomUUID();
  return event;
}

/** An invocation context whose log lines are kept, parsed, for assertions. */
export function invocation(name = 'tourniquet-events') {
  const lines: Record<string, unknown>[] = [];
  const context = new InvocationContext({
    invocationId: crypto.randomUUID(),
    functionName: name,
    logHandler: (_level, ...args) => lines.push(JSON.parse(String(args[0]))),
  });
  return { context, lines };
}

export async function snapshotsIn(container: ContainerClient): Promise<number> {
  let n = 0;
  for await (const b of container.listBlobsFlat({ includeSnapshots: true })) if (b.snapshot) n++;
  return n;
}

export async function blobsIn(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const b of container.listBlobsFlat()) names.push(b.name);
  return names.sort();
}

/** Status of an anonymous or SAS GET: does the URL still give the blob away? */
export const status = async (url: string) => (await fetch(url)).status;

/** A POST to one of the HTTP functions, as the host hands it over. */
export const post = (route: string, body: unknown) =>
  new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/tourniquet/${route}`,
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
    headers: { 'content-type': 'application/json' },
  });

/** The runtime with one executor whose changes fail with `error` (reads still work). */
export function withFailing(runtime: AzureRuntime, kind: string, error: Error): AzureRuntime {
  const executors = runtime.deps().executors as Record<string, Executor>;
  const original = executors[kind];
  if (!original) throw new Error(`no executor ${kind}`);
  const failing: Executor = { ...original, apply: async () => Promise.reject(error) };
  return {
    ...runtime,
    deps: (extra = {}) => ({ ...runtime.deps(extra), executors: { ...executors, [kind]: failing } }),
  };
}

export { SUB };
