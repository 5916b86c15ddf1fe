// ARM calls asserted as the exact REST requests the Storage resource provider receives; response
// bodies follow Azure/azure-rest-api-specs specification/storage/…/examples/StorageAccountGetProperties*.json.
import { describe, expect, it } from 'vitest';
import type { ExecContext } from '../../core/executor.ts';
import { quarantineStorageAccount } from '../../functions-azure/executors/quarantine-storage-account.ts';
import type { QuarantineStorageAccount } from '../../packs/azure/actions.ts';
import { SUB, SUBNET, WEIGHTS } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ARM = 'https://management.azure.com';
const ctx: ExecContext = { incidentId: 'inc-1', results: new Map() };

describe('quarantine-storage-account', () => {
  const action: QuarantineStorageAccount = {
    id: 'a2',
    kind: 'quarantine-storage-account',
    category: 'quarantine',
    target: WEIGHTS,
    account: SUB,
    params: {
      storageAccountId: WEIGHTS,
      resourceGroup: 'rg-ml',
      accountName: 'stweights',
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      network: { defaultAction: 'Deny', virtualNetworkSubnetIds: [SUBNET], ipRanges: ['198.51.100.0/28'] },
      revokeUserDelegationKeys: true,
      rotateKeys: true,
    },
    inverse: 'restore',
  };
  const openAccount = {
    id: WEIGHTS,
    name: 'stweights',
    type: 'Microsoft.Storage/storageAccounts',
    location: 'westeurope',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    properties: {
      allowBlobPublicAccess: true,
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: 'Allow',
        ipRules: [{ value: '203.0.113.0/24', action: 'Allow' }],
        virtualNetworkRules: [],
        resourceAccessRules: [],
      },
    },
  };

  it('turns Shared Key and public access off, denies the network but the responders, revokes delegation keys, rotates keys', async () => {
    const azure = fakeAzure();
    azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body: openAccount });
    azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body: openAccount });
    azure.on('POST', /revokeUserDelegationKeys$/, { status: 200 });
    azure.on('POST', /regenerateKey$/, { status: 200, body: { keys: [] } });
    const executor = quarantineStorageAccount(azure.clients());
    const before = await executor.read(action, ctx);
    expect(before).toEqual({
      allowSharedKeyAccess: null,
      allowBlobPublicAccess: true,
      networkRuleSet: {
        defaultAction: 'Allow',
        bypass: 'AzureServices',
        ipRules: [{ iPAddressOrRange: '203.0.113.0/24', action: 'Allow' }],
        virtualNetworkRules: [],
        resourceAccessRules: [],
      },
      publicNetworkAccess: null,
      privateEndpoints: [],
    });
    await executor.apply(action, before, ctx);
    const account = `${ARM}${WEIGHTS}`;
    const calls = azure.mutating().map((r) => [r.method, r.url, r.body]);
    // The PATCH and the delegation key revocation go out together; key rotation follows.
    expect(
      [...calls.slice(0, 2)].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).concat(calls.slice(2)),
    ).toEqual([
      [
        'PATCH',
        account,
        {
          properties: {
            networkAcls: {
              bypass: 'AzureServices',
              resourceAccessRules: [],
              virtualNetworkRules: [{ id: SUBNET, action: 'Allow' }],
              ipRules: [{ value: '198.51.100.0/28', action: 'Allow' }],
              defaultAction: 'Deny',
            },
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
          },
        },
      ],
      ['POST', `${account}/revokeUserDelegationKeys`, undefined],
      ['POST', `${account}/regenerateKey`, { keyName: 'key1' }],
      ['POST', `${account}/regenerateKey`, { keyName: 'key2' }],
    ]);
    expect(
      azure.requests.every((r) => r.apiVersion === azure.requests[0]?.apiVersion && !!r.apiVersion),
    ).toBe(true);
  });

  it('restores the recorded properties and network rules on release', async () => {
    const azure = fakeAzure();
    azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body: openAccount });
    azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body: openAccount });
    const executor = quarantineStorageAccount(azure.clients());
    await executor.undo(action, await executor.read(action, ctx), ctx);
    expect(azure.mutating().map((r) => r.body)).toEqual([
      {
        properties: {
          networkAcls: {
            bypass: 'AzureServices',
            resourceAccessRules: [],
            virtualNetworkRules: [],
            ipRules: [{ value: '203.0.113.0/24', action: 'Allow' }],
            defaultAction: 'Allow',
          },
          allowBlobPublicAccess: true,
          allowSharedKeyAccess: true,
        },
      },
    ]);
  });

  describe('azure.quarantine.disablePublicNetworkAccess', () => {
    const PE = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Network/privateEndpoints/pe-ir-blob`;
    const OTHER_PE = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-app`;
    const optedIn: QuarantineStorageAccount = {
      ...action,
      params: {
        ...action.params,
        network: null,
        rotateKeys: false,
        disablePublicNetworkAccess: true,
        responderPrivateEndpoints: [PE],
      },
    };
    const withEndpoints = (endpoints: [string, string][]) => ({
      ...openAccount,
      properties: {
        ...openAccount.properties,
        publicNetworkAccess: 'Enabled',
        privateEndpointConnections: endpoints.map(([id, status], i) => ({
          id: `${WEIGHTS}/privateEndpointConnections/c${i}`,
          name: `c${i}`,
          properties: { privateEndpoint: { id }, privateLinkServiceConnectionState: { status } },
        })),
      },
    });

    it('sets publicNetworkAccess Disabled when a stated responder private endpoint is approved; release restores Enabled', async () => {
      const azure = fakeAzure();
      const body = withEndpoints([
        [OTHER_PE, 'Approved'],
        [PE, 'Approved'],
      ]);
      azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body });
      azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body });
      azure.on('POST', /revokeUserDelegationKeys$/, { status: 200 });
      const executor = quarantineStorageAccount(azure.clients());
      const before = await executor.read(optedIn, ctx);
      expect([before.publicNetworkAccess, before.privateEndpoints]).toEqual(['Enabled', [OTHER_PE, PE]]);
      const applied = await executor.apply(optedIn, before, ctx);
      expect(applied.details?.publicNetworkAccess).toBe(
        `disabled; responders reach the data plane through ${PE}`,
      );
      await executor.undo(optedIn, before, ctx);
      expect(
        azure
          .mutating()
          .filter((r) => r.method === 'PATCH')
          .map((r) => r.body),
      ).toEqual([
        {
          properties: {
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            publicNetworkAccess: 'Disabled',
          },
        },
        // No networkAcls: with `network: null` this action never set them, so release leaves them as
        // they are now.
        {
          properties: {
            allowBlobPublicAccess: true,
            allowSharedKeyAccess: true,
            publicNetworkAccess: 'Enabled',
          },
        },
      ]);
    });

    it('leaves public network access on when the stated endpoint is only pending, and says why', async () => {
      const azure = fakeAzure();
      const body = withEndpoints([[PE, 'Pending']]);
      azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body });
      azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body });
      azure.on('POST', /revokeUserDelegationKeys$/, { status: 200 });
      const executor = quarantineStorageAccount(azure.clients());
      const before = await executor.read(optedIn, ctx);
      const applied = await executor.apply(optedIn, before, ctx);
      expect(String(applied.details?.publicNetworkAccess)).toMatch(
        /^left enabled: .*lock the responders out/,
      );
      await executor.undo(optedIn, before, ctx);
      expect(
        azure
          .mutating()
          .filter((r) => r.method === 'PATCH')
          .map((r) => 'publicNetworkAccess' in (r.body as { properties: object }).properties),
      ).toEqual([false, false]);
    });
  });
});
