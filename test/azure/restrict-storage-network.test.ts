// ARM calls asserted as the exact REST requests the Storage resource provider receives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { ActionError } from '../../core/errors.ts';
import type { ExecContext } from '../../core/executor.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { restrictStorageNetwork } from '../../functions-azure/executors/restrict-storage-network.ts';
import type { RestrictStorageNetwork } from '../../packs/azure/actions.ts';
import { azurePack } from '../../packs/azure/pack.ts';
import { PACKS } from '../../packs/index.ts';
import { azureConfig, SUB, SUBNET, WEIGHTS } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ARM = 'https://management.azure.com';
const ctx: ExecContext = { incidentId: 'inc-1', results: new Map() };
const CALLER = '203.0.113.77';
const APP_SUBNET = SUBNET.replace('snet-func', 'snet-app');

const action: RestrictStorageNetwork = {
  id: 'a1',
  kind: 'restrict-storage-network',
  category: 'quarantine',
  target: WEIGHTS,
  account: SUB,
  params: {
    storageAccountId: WEIGHTS,
    resourceGroup: 'rg-ml',
    accountName: 'stweights',
    blockedAddress: CALLER,
    responders: { virtualNetworkSubnetIds: [SUBNET], ipRanges: ['198.51.100.0/28'] },
  },
  inverse: 'restore',
};

function account(networkAcls: unknown, publicNetworkAccess?: string) {
  return {
    id: WEIGHTS,
    name: 'stweights',
    type: 'Microsoft.Storage/storageAccounts',
    location: 'westeurope',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    properties: {
      ...(networkAcls ? { networkAcls } : {}),
      ...(publicNetworkAccess ? { publicNetworkAccess } : {}),
    },
  };
}

const open = {
  bypass: 'Logging, Metrics',
  defaultAction: 'Allow',
  ipRules: [
    { value: '192.0.2.0/24', action: 'Allow' },
    { value: CALLER, action: 'Allow' },
  ],
  virtualNetworkRules: [{ id: APP_SUBNET, action: 'Allow' }],
  resourceAccessRules: [],
};

describe('restrict-storage-network', () => {
  it('turns an open account to Deny, keeping its rules less the caller and adding the responders; release restores exactly', async () => {
    const azure = fakeAzure();
    azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body: account(open, 'Enabled') });
    azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body: account(open) });
    const executor = restrictStorageNetwork(azure.clients());
    const before = await executor.read(action, ctx);
    expect(before).toEqual({
      publicNetworkAccess: 'Enabled',
      networkRuleSet: {
        defaultAction: 'Allow',
        bypass: 'Logging, Metrics',
        ipRules: [
          { iPAddressOrRange: '192.0.2.0/24', action: 'Allow' },
          { iPAddressOrRange: CALLER, action: 'Allow' },
        ],
        virtualNetworkRules: [{ virtualNetworkResourceId: APP_SUBNET, action: 'Allow' }],
        resourceAccessRules: [],
      },
    });
    const applied = await executor.apply(action, before, ctx);
    expect(applied.outcome).toBe('applied');
    await executor.undo?.(action, before, ctx);
    expect(azure.mutating().map((r) => [r.method, r.url, r.apiVersion, r.body])).toEqual([
      [
        'PATCH',
        `${ARM}${WEIGHTS}`,
        '2026-09-01',
        {
          properties: {
            networkAcls: {
              bypass: 'Logging, Metrics',
              resourceAccessRules: [],
              virtualNetworkRules: [
                { id: APP_SUBNET, action: 'Allow' },
                { id: SUBNET, action: 'Allow' },
              ],
              ipRules: [
                { value: '192.0.2.0/24', action: 'Allow' },
                { value: '198.51.100.0/28', action: 'Allow' },
              ],
              defaultAction: 'Deny',
            },
          },
        },
      ],
      [
        'PATCH',
        `${ARM}${WEIGHTS}`,
        '2026-09-01',
        {
          properties: {
            networkAcls: {
              bypass: 'Logging, Metrics',
              resourceAccessRules: [],
              virtualNetworkRules: [{ id: APP_SUBNET, action: 'Allow' }],
              ipRules: [
                { value: '192.0.2.0/24', action: 'Allow' },
                { value: CALLER, action: 'Allow' },
              ],
              defaultAction: 'Allow',
            },
          },
        },
      ],
    ]);
  });

  it('on a Deny-by-default account only removes the caller from the IP rules', async () => {
    const azure = fakeAzure();
    const denying = { ...open, defaultAction: 'Deny', ipRules: [{ value: `${CALLER}`, action: 'Allow' }] };
    azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body: account(denying) });
    azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body: account(denying) });
    const executor = restrictStorageNetwork(azure.clients());
    await executor.apply(action, await executor.read(action, ctx), ctx);
    expect(azure.mutating().map((r) => r.body)).toEqual([
      {
        properties: {
          networkAcls: {
            bypass: 'Logging, Metrics',
            resourceAccessRules: [],
            virtualNetworkRules: [{ id: APP_SUBNET, action: 'Allow' }],
            ipRules: [],
            defaultAction: 'Deny',
          },
        },
      },
    ]);
  });

  it('changes nothing when the caller is not allowed already, or public network access is off', async () => {
    for (const body of [
      account({ ...open, defaultAction: 'Deny', ipRules: [] }),
      account(open, 'Disabled'),
    ]) {
      const azure = fakeAzure();
      azure.on('GET', /storageAccounts\/stweights$/, { status: 200, body });
      const executor = restrictStorageNetwork(azure.clients());
      const applied = await executor.apply(action, await executor.read(action, ctx), ctx);
      expect([applied.outcome, azure.mutating()]).toEqual(['already-applied', []]);
    }
  });

  it.each([
    [
      'Deny, the caller listed and inside a wider range',
      'Deny',
      [CALLER, '203.0.113.0/24'],
      '203.0.113.0/24',
    ],
    ['Deny, the caller only inside a wider range', 'Deny', ['203.0.0.0/16'], '203.0.0.0/16'],
    [
      'Allow, a kept range holding the caller',
      'Allow',
      ['192.0.2.0/24', '203.0.113.64/26'],
      '203.0.113.64/26',
    ],
  ])(
    'reports the caller NOT cut off, changing nothing, when a wider IP rule still admits it (%s)',
    async (_, defaultAction, values, wider) => {
      // Prepare
      const azure = fakeAzure();
      const ipRules = values.map((value) => ({ value, action: 'Allow' }));
      azure.on('GET', /storageAccounts\/stweights$/, {
        status: 200,
        body: account({ ...open, defaultAction, ipRules }, 'Enabled'),
      });
      const executor = restrictStorageNetwork(azure.clients());
      const before = await executor.read(action, ctx);
      // Act
      const error = await executor.apply(action, before, ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      // Assess
      expect(error).toBeInstanceOf(ActionError);
      expect((error as Error).message).toBe(
        `${CALLER} NOT cut off stweights: the IP rule(s) ${wider} would still admit it; nothing changed — ` +
          'narrow or remove them by hand, or quarantine the account',
      );
      expect(azure.mutating()).toEqual([]);
    },
  );

  it('undoes an account that had no rules to Allow with no rules', async () => {
    const azure = fakeAzure();
    azure.on('PATCH', /storageAccounts\/stweights$/, { status: 200, body: account(null) });
    await restrictStorageNetwork(azure.clients()).undo?.(
      action,
      { networkRuleSet: null, publicNetworkAccess: null },
      ctx,
    );
    expect(azure.mutating().map((r) => r.body)).toEqual([
      {
        properties: {
          networkAcls: {
            bypass: 'AzureServices',
            resourceAccessRules: [],
            virtualNetworkRules: [],
            ipRules: [],
            defaultAction: 'Allow',
          },
        },
      },
    ]);
  });
});

describe('restrict-storage-network in the plan', () => {
  const now = new Date('2026-11-25T10:10:00Z');
  const parsed = parseAzureEvent(
    JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8')),
  );
  if (parsed.kind !== 'alerts') throw new Error('fixture did not parse');
  // An access anomaly: the playbook cuts the actor off and leaves the account up (no quarantine).
  const alert = { ...(parsed.alerts[0] as Alert), type: 'Storage.Blob_GeoAnomaly' };

  it('plans it for a caller outside the responder network', () => {
    const d = decide(alert, azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['restrict-storage-network', 'snapshot-blobs', 'escalate']);
  });

  it('does not plan it for a caller inside the responder network, and says why', () => {
    const config = azureConfig({
      responderNetwork: { virtualNetworkSubnetIds: [SUBNET], ipRanges: ['203.0.113.0/24'] },
    });
    const d = decide(alert, config, { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).not.toContain('restrict-storage-network');
    const reason = String((d.actions.at(-1)?.params as { reason?: string } | undefined)?.reason);
    expect(reason).toMatch(
      /203\.0\.113\.77 NOT cut off stweights by a network rule: it is inside azure\.responderNetwork/,
    );
  });

  it('the plan guard refuses responders wider than azure.responderNetwork', () => {
    const config = azureConfig();
    expect(azurePack.checkPlanned(action, config)).toEqual([]);
    const widened: RestrictStorageNetwork = {
      ...action,
      params: {
        ...action.params,
        responders: { virtualNetworkSubnetIds: [SUBNET], ipRanges: ['0.0.0.0/0'] },
      },
    };
    expect(azurePack.checkPlanned(widened, config)).toEqual([
      'a1 restrict-storage-network allows networks azure.responderNetwork does not name: 0.0.0.0/0',
    ]);
  });
});
