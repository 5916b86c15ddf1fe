// Microsoft Graph calls asserted as the exact REST requests Graph receives ("Get servicePrincipal",
// "Update servicePrincipal": PATCH /servicePrincipals/{id}, 204 No Content).
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import { executePlan } from '../../core/execute-plan.ts';
import type { ExecContext } from '../../core/executor.ts';
import { disableServicePrincipal } from '../../functions-azure/executors/disable-service-principal.ts';
import { guardedPrincipals } from '../../functions-azure/executors/guarded.ts';
import type { DisableServicePrincipal } from '../../packs/azure/actions.ts';
import { instantRetry } from '../support/fake-executors.ts';
import { ATTACKER, RESPONDER, SUB } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ctx: ExecContext = { incidentId: 'inc-1', results: new Map() };
const guarded = guardedPrincipals([RESPONDER]);

describe('disable-service-principal (Microsoft Graph)', () => {
  const action: DisableServicePrincipal = {
    id: 'a2',
    kind: 'disable-service-principal',
    category: 'revoke',
    target: ATTACKER,
    account: SUB,
    params: { objectId: ATTACKER },
    inverse: 'enable',
  };
  const sp = (accountEnabled: boolean) => ({
    id: ATTACKER,
    appId: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9',
    displayName: 'etl-batch',
    accountEnabled,
    servicePrincipalType: 'Application',
  });

  it('reads the principal and PATCHes accountEnabled=false, then true on release', async () => {
    const azure = fakeAzure();
    azure.on('GET', /servicePrincipals\//, { status: 200, body: sp(true) });
    azure.on('PATCH', /servicePrincipals\//, { status: 204 });
    const executor = disableServicePrincipal(azure.clients(), guarded);
    const before = await executor.read(action, ctx);
    expect((await executor.apply(action, before, ctx)).outcome).toBe('applied');
    await executor.undo(action, before, ctx);
    expect(azure.requests.map((r) => [r.method, r.url, r.body, r.authorization])).toEqual([
      [
        'GET',
        `https://graph.microsoft.com/v1.0/servicePrincipals/${ATTACKER}?$select=id,appId,displayName,accountEnabled,servicePrincipalType`,
        undefined,
        'Bearer graph-token',
      ],
      [
        'PATCH',
        `https://graph.microsoft.com/v1.0/servicePrincipals/${ATTACKER}`,
        { accountEnabled: false },
        'Bearer graph-token',
      ],
      [
        'PATCH',
        `https://graph.microsoft.com/v1.0/servicePrincipals/${ATTACKER}`,
        { accountEnabled: true },
        'Bearer graph-token',
      ],
    ]);
  });

  it('changes nothing for a principal that was already disabled, nor on its release', async () => {
    const azure = fakeAzure();
    azure.on('GET', /servicePrincipals\//, { status: 200, body: sp(false) });
    const executor = disableServicePrincipal(azure.clients(), guarded);
    const before = await executor.read(action, ctx);
    expect((await executor.apply(action, before, ctx)).outcome).toBe('already-applied');
    expect((await executor.undo(action, before, ctx)).outcome).toBe('already-applied');
    expect(azure.mutating()).toEqual([]);
  });

  it('retries Graph throttling (429) through the core and fails clearly on 403', async () => {
    const azure = fakeAzure();
    azure.on('GET', /servicePrincipals\//, { status: 200, body: sp(true) });
    azure.on(
      'PATCH',
      /servicePrincipals\//,
      { status: 429, body: { error: { code: 'TooManyRequests' } } },
      {
        status: 403,
        body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } },
      },
    );
    const report = await executePlan(
      { incidentId: 'inc-1', actions: [action as Action] },
      { 'disable-service-principal': disableServicePrincipal(azure.clients(), guarded) },
      { dryRun: false, retry: instantRetry },
    );
    expect(report.results[0]).toMatchObject({
      outcome: 'failed',
      attempts: 3,
      error: expect.stringMatching(/403 Authorization_RequestDenied/),
    });
    expect(azure.mutating()).toHaveLength(2);
  });
});
