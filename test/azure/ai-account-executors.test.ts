// Azure OpenAI / AI Foundry accounts through ARM, asserted as the exact REST requests ARM receives
// (Microsoft.CognitiveServices accounts 2024-10-01: Accounts - Get, Accounts - Update (PATCH
// properties), Accounts - Regenerate Key (POST …/regenerateKey { keyName: Key1 | Key2 })).
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import { ActionError } from '../../core/errors.ts';
import { executePlan } from '../../core/execute-plan.ts';
import type { ExecContext } from '../../core/executor.ts';
import { disableLocalAuth } from '../../functions-azure/executors/disable-local-auth.ts';
import { regenerateAiKeys } from '../../functions-azure/executors/regenerate-ai-keys.ts';
import { restrictAiNetwork } from '../../functions-azure/executors/restrict-ai-network.ts';
import type { DisableLocalAuth, RegenerateAiKeys, RestrictAiNetwork } from '../../packs/azure/actions.ts';
import { instantRetry } from '../support/fake-executors.ts';
import { SUB, SUBNET } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ctx: ExecContext = { incidentId: 'inc-1', results: new Map() };
const AI = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.CognitiveServices/accounts/oai-rag-prod`;
const URL = `https://management.azure.com${AI}`;
const base = { account: SUB, target: AI, category: 'quarantine' as const, inverse: '…' };
const params = { accountId: AI, accountName: 'oai-rag-prod' };
const account = (properties: Record<string, unknown>) => ({
  status: 200,
  body: { id: AI, name: 'oai-rag-prod', kind: 'OpenAI', properties },
});
const calls = (azure: ReturnType<typeof fakeAzure>) =>
  azure.requests.map((r) => [r.method, r.url, r.apiVersion, r.body, r.authorization]);

describe('disable-local-auth', () => {
  const action: DisableLocalAuth = { id: 'a1', kind: 'disable-local-auth', ...base, params };

  it('PATCHes disableLocalAuth=true, and on release the recorded value back', async () => {
    const azure = fakeAzure();
    azure.on('GET', /CognitiveServices\/accounts\/oai-rag-prod$/, account({ disableLocalAuth: false }));
    azure.on('PATCH', /CognitiveServices\/accounts\/oai-rag-prod$/, { status: 200, body: {} });
    const executor = disableLocalAuth(azure.clients().ai);
    const before = await executor.read(action, ctx);
    expect(before).toEqual({ disableLocalAuth: false });
    expect(await executor.apply(action, before, ctx)).toMatchObject({
      outcome: 'applied',
      details: { localAuth: 'disabled' },
    });
    await executor.undo(action, before, ctx);
    expect(calls(azure)).toEqual([
      ['GET', URL, '2024-10-01', undefined, 'Bearer arm-token'],
      ['PATCH', URL, '2024-10-01', { properties: { disableLocalAuth: true } }, 'Bearer arm-token'],
      ['PATCH', URL, '2024-10-01', { properties: { disableLocalAuth: false } }, 'Bearer arm-token'],
    ]);
  });

  it('changes nothing on an account whose keys are already off; a never-set value is restored as false', async () => {
    const azure = fakeAzure();
    azure.on('GET', /oai-rag-prod$/, account({ disableLocalAuth: true }));
    const executor = disableLocalAuth(azure.clients().ai);
    expect((await executor.apply(action, await executor.read(action, ctx), ctx)).outcome).toBe(
      'already-applied',
    );
    expect(azure.mutating()).toEqual([]);
    const unset = fakeAzure();
    unset.on('GET', /oai-rag-prod$/, account({}));
    unset.on('PATCH', /oai-rag-prod$/, { status: 202 });
    const e = disableLocalAuth(unset.clients().ai);
    const before = await e.read(action, ctx);
    expect(before).toEqual({ disableLocalAuth: null });
    await e.apply(action, before, ctx);
    await e.undo(action, before, ctx);
    expect(unset.mutating().map((r) => r.body)).toEqual([
      { properties: { disableLocalAuth: true } },
      { properties: { disableLocalAuth: false } },
    ]);
  });

  it('fails clearly for an account that does not exist, and retries ARM throttling through the core', async () => {
    const gone = fakeAzure();
    gone.on('GET', /oai-rag-prod$/, {
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: 'x' } },
    });
    await expect(disableLocalAuth(gone.clients().ai).read(action, ctx)).rejects.toThrow(ActionError);
    const busy = fakeAzure();
    busy.on('GET', /oai-rag-prod$/, account({ disableLocalAuth: false }));
    busy.on(
      'PATCH',
      /oai-rag-prod$/,
      { status: 429, body: { error: { code: 'TooManyRequests', message: 'slow down' } } },
      { status: 200, body: {} },
    );
    const report = await executePlan(
      { incidentId: 'inc-1', actions: [action as Action] },
      { 'disable-local-auth': disableLocalAuth(busy.clients().ai) } as never,
      { dryRun: false, retry: instantRetry },
    );
    expect(report.results[0]).toMatchObject({ outcome: 'applied' });
    expect(busy.mutating()).toHaveLength(2);
  });
});

describe('regenerate-ai-keys', () => {
  const action: RegenerateAiKeys = {
    id: 'a1',
    kind: 'regenerate-ai-keys',
    ...base,
    params: { ...params, keyNames: ['Key1', 'Key2'] },
  };

  it('regenerates Key1 then Key2, records nothing of the keys, and says release cannot bring them back', async () => {
    const azure = fakeAzure();
    azure.on('GET', /oai-rag-prod$/, account({ disableLocalAuth: false }));
    azure.on('POST', /oai-rag-prod\/regenerateKey$/, {
      status: 200,
      body: { key1: 'NEWKEY1', key2: 'NEWKEY2' },
    });
    const executor = regenerateAiKeys(azure.clients().ai);
    const before = await executor.read(action, ctx);
    const applied = await executor.apply(action, before, ctx);
    expect(calls(azure).slice(1)).toEqual([
      ['POST', `${URL}/regenerateKey`, '2024-10-01', { keyName: 'Key1' }, 'Bearer arm-token'],
      ['POST', `${URL}/regenerateKey`, '2024-10-01', { keyName: 'Key2' }, 'Bearer arm-token'],
    ]);
    expect(JSON.stringify({ before, applied })).not.toMatch(/NEWKEY/);
    expect(await executor.undo(action, before, ctx)).toEqual({
      outcome: 'already-applied',
      details: { note: expect.stringMatching(/^not restorable: the old keys are gone for good/) },
    });
  });
});

describe('restrict-ai-network', () => {
  const action: RestrictAiNetwork = {
    id: 'a1',
    kind: 'restrict-ai-network',
    ...base,
    params: {
      ...params,
      blockedAddress: '185.220.101.47',
      network: { defaultAction: 'Deny', ipRanges: ['203.0.113.0/28'], virtualNetworkSubnetIds: [SUBNET] },
    },
  };
  const open = { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [], bypass: 'AzureServices' };

  it('sets Deny with only the allowed networks, keeps the bypass, and restores the rules on release', async () => {
    const azure = fakeAzure();
    azure.on('GET', /oai-rag-prod$/, account({ publicNetworkAccess: 'Enabled', networkAcls: open }));
    azure.on('PATCH', /oai-rag-prod$/, { status: 200, body: {} });
    const executor = restrictAiNetwork(azure.clients().ai);
    const before = await executor.read(action, ctx);
    expect(await executor.apply(action, before, ctx)).toMatchObject({
      outcome: 'applied',
      details: { blocked: '185.220.101.47', allowed: [SUBNET, '203.0.113.0/28'] },
    });
    await executor.undo(action, before, ctx);
    expect(azure.mutating().map((r) => r.body)).toEqual([
      {
        properties: {
          networkAcls: {
            defaultAction: 'Deny',
            ipRules: [{ value: '203.0.113.0/28' }],
            virtualNetworkRules: [{ id: SUBNET }],
            bypass: 'AzureServices',
          },
        },
      },
      { properties: { networkAcls: open } },
    ]);
  });

  it('leaves an account closed to public networks alone', async () => {
    const azure = fakeAzure();
    azure.on('GET', /oai-rag-prod$/, account({ publicNetworkAccess: 'Disabled' }));
    const executor = restrictAiNetwork(azure.clients().ai);
    expect((await executor.apply(action, await executor.read(action, ctx), ctx)).outcome).toBe(
      'already-applied',
    );
    expect(azure.mutating()).toEqual([]);
  });
});
