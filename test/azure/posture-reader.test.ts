/**
 * The live Azure posture reader over the fake ARM/Graph endpoint (test/azure/support/fake-http.ts):
 * the exact GETs with their api-versions and tokens, `nextLink` pages, error bodies kept, and a
 * whole run that reproduces the recorded subscription.
 */
import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../core/posture/collect.ts';
import type { Read } from '../../core/posture/snapshot.ts';
import { azurePostureReader } from '../../functions-azure/posture/reader.ts';
import { azurePostureChecks } from '../../packs/azure/posture/index.ts';
import { azureRead } from '../../packs/azure/posture/operations.ts';
import { azureSnapshot, INFERENCE_SUBNET, NIC } from '../posture/support/azure-snapshot.ts';
import { azureConfig, SUB, WEIGHTS } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const reader = (azure: ReturnType<typeof fakeAzure>) =>
  azurePostureReader({
    armToken: async () => 'arm-token',
    graphToken: async () => 'graph-token',
    fetch: azure.fetch,
  });

describe('azurePostureReader', () => {
  it('GETs the resource with its api-version and the ARM token, and keeps the JSON as returned', async () => {
    const azure = fakeAzure();
    const account = { id: WEIGHTS, name: 'stweights', properties: { allowSharedKeyAccess: false } };
    azure.on('GET', new RegExp(`^https://management.azure.com${literal(WEIGHTS)}$`), {
      status: 200,
      body: account,
    });
    const read = azureRead('Microsoft.Storage/storageAccounts', WEIGHTS, WEIGHTS);
    expect(await reader(azure)(read)).toEqual(account);
    expect(azure.requests).toEqual([
      {
        method: 'GET',
        url: `https://management.azure.com${WEIGHTS}`,
        apiVersion: '2023-05-01',
        body: undefined,
        authorization: 'Bearer arm-token',
      },
    ]);
  });

  it('follows nextLink and keeps every page of a list', async () => {
    const azure = fakeAzure();
    const list = `/subscriptions/${SUB}/providers/Microsoft.EventGrid/systemTopics`;
    const next = `https://management.azure.com${list}?api-version=2025-02-15&$skiptoken=abc`;
    azure.on(
      'GET',
      new RegExp(`^https://management.azure.com${literal(list)}`),
      { status: 200, body: { value: [{ id: 't1' }], nextLink: next } },
      { status: 200, body: { value: [{ id: 't2' }] } },
    );
    const pages = await reader(azure)(
      azureRead('Microsoft.EventGrid/systemTopics', `/subscriptions/${SUB}`, list),
    );
    expect(pages).toEqual([{ value: [{ id: 't1' }], nextLink: next }, { value: [{ id: 't2' }] }]);
    expect(azure.requests.map((r) => [r.url, r.apiVersion])).toEqual([
      [`https://management.azure.com${list}`, '2025-02-15'],
      [`https://management.azure.com${list}?$skiptoken=abc`, '2025-02-15'],
    ]);
  });

  it('keeps an error answer with the code of its body', async () => {
    const azure = fakeAzure();
    azure.on('GET', /immutabilityPolicies/, {
      status: 404,
      body: {
        error: {
          code: 'ContainerImmutabilityPolicyNotFound',
          message: 'The immutability policy was not found.',
        },
      },
    });
    const path = `${WEIGHTS}/blobServices/default/containers/evidence/immutabilityPolicies/default`;
    expect(
      await reader(azure)(
        azureRead(
          'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies',
          path,
          path,
        ),
      ),
    ).toEqual({
      $error: {
        code: 'ContainerImmutabilityPolicyNotFound',
        status: 404,
        message: 'The immutability policy was not found.',
      },
    });
  });

  it('reads Microsoft Graph with the Graph token and follows @odata.nextLink', async () => {
    const azure = fakeAzure();
    const next = 'https://graph.microsoft.com/beta/reports/servicePrincipalSignInActivities?$skiptoken=x';
    azure.on(
      'GET',
      /^https:\/\/graph.microsoft.com\/beta\/reports\/servicePrincipalSignInActivities/,
      { status: 200, body: { value: [{ appId: 'a' }], '@odata.nextLink': next } },
      { status: 200, body: { value: [{ appId: 'b' }] } },
    );
    const read = azureRead(
      'graph:servicePrincipalSignInActivities',
      'all',
      "/reports/servicePrincipalSignInActivities?$filter=appId eq 'a'",
    );
    expect(await reader(azure)(read)).toHaveLength(2);
    expect(azure.requests.map((r) => r.authorization)).toEqual(['Bearer graph-token', 'Bearer graph-token']);
  });
});

describe('a live Azure posture run', () => {
  it('over ARM gives the snapshot the recorded subscription would', async () => {
    const recorded = azureSnapshot();
    const config = azureConfig({}, { detect: { inferenceEndpoints: [INFERENCE_SUBNET, NIC] } });
    const options = {
      cloud: 'azure' as const,
      config,
      scope: recorded.scope,
      now: new Date(recorded.takenAt),
    };
    const asked: Read[] = [];
    await collectSnapshot(
      azurePostureChecks,
      async (r) => {
        asked.push(r);
        return recorded.azure?.[r.op]?.[r.key];
      },
      options,
    );
    const azure = fakeAzure();
    for (const r of asked) {
      const stored = recorded.azure?.[r.op]?.[r.key];
      const path = (r.input as { path: string }).path.replace(/[?&]api-version=[^&]*$/, '');
      const body = Array.isArray(stored) ? stored[0] : stored;
      azure.on('GET', new RegExp(`^https://management.azure.com${literal(path)}$`), { status: 200, body });
    }
    expect(await collectSnapshot(azurePostureChecks, reader(azure), options)).toEqual(recorded);
    expect(azure.mutating()).toEqual([]);
  });
});
