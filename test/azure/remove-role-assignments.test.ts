// ARM calls asserted as the exact REST requests Azure Resource Manager receives; response bodies follow
// Azure/azure-rest-api-specs specification/authorization/…/2022-04-01/examples/RoleAssignments_ListForScope.json.
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../core/execute-plan.ts';
import type { ExecContext } from '../../core/executor.ts';
import { guardedPrincipals } from '../../functions-azure/executors/guarded.ts';
import { removeRoleAssignments } from '../../functions-azure/executors/remove-role-assignments.ts';
import type { RemoveRoleAssignments } from '../../packs/azure/actions.ts';
import { instantRetry } from '../support/fake-executors.ts';
import { ATTACKER, RESPONDER, SUB, WEIGHTS } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ARM = 'https://management.azure.com';
const ctx: ExecContext = { incidentId: 'inc-1', results: new Map() };
const ASSIGNMENT_1 = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747`;
const ASSIGNMENT_2 = `${WEIGHTS}/providers/Microsoft.Authorization/roleAssignments/7c9e2f1a-3b4d-4e5f-8a6b-9c0d1e2f3a4b`;
const MG = '/providers/Microsoft.Management/managementGroups/contoso-root';
const READER = '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
const guarded = guardedPrincipals([RESPONDER]);

function assignment(id: string, scope: string, extra: Record<string, unknown> = {}) {
  return {
    properties: {
      roleDefinitionId: READER,
      principalId: ATTACKER,
      principalType: 'ServicePrincipal',
      scope,
      ...extra,
    },
    id,
    type: 'Microsoft.Authorization/roleAssignments',
    name: id.slice(id.lastIndexOf('/') + 1),
  };
}

const revoke: RemoveRoleAssignments = {
  id: 'a1',
  kind: 'remove-role-assignments',
  category: 'revoke',
  target: ATTACKER,
  account: SUB,
  params: { principalId: ATTACKER, subscriptions: [SUB], scopes: [] },
  inverse: 'recreate',
};

describe('remove-role-assignments', () => {
  /** `now`: what the listing answers after the first one (on release: what the principal holds again). */
  function scripted(now?: Parameters<ReturnType<typeof fakeAzure>['on']>[2]) {
    const azure = fakeAzure();
    const listing = {
      status: 200,
      body: {
        value: [
          assignment(ASSIGNMENT_1, `/subscriptions/${SUB}`),
          assignment(ASSIGNMENT_2, WEIGHTS, {
            condition:
              "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'model-weights'",
            conditionVersion: '2.0',
          }),
          assignment(
            `${MG}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555`,
            MG,
          ),
          {
            ...assignment(
              `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/99999999-2222-4333-8444-555555555555`,
              `/subscriptions/${SUB}`,
            ),
            properties: { ...assignment('x', 'y').properties, principalId: RESPONDER },
          },
        ],
      },
    };
    azure.on('GET', /\/roleAssignments\?\$filter/, listing, ...(now ? [now] : []));
    return azure;
  }

  it('lists direct assignments in the subscription and deletes those in reach, exactly', async () => {
    const azure = scripted();
    azure.on('DELETE', /roleAssignments\//, {
      status: 200,
      body: assignment(ASSIGNMENT_1, `/subscriptions/${SUB}`),
    });
    const executor = removeRoleAssignments(azure.clients(), guarded);

    const before = await executor.read(revoke, ctx);
    expect(before.assignments.map((a) => a.id)).toEqual([
      `${MG}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555`,
      ASSIGNMENT_1,
      ASSIGNMENT_2,
    ]);
    const applied = await executor.apply(revoke, before, ctx);

    expect(azure.requests.map((r) => [r.method, r.url, r.apiVersion])).toEqual([
      [
        'GET',
        `${ARM}/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '${ATTACKER}'`,
        '2022-04-01',
      ],
      ['DELETE', `${ARM}${ASSIGNMENT_1}`, '2022-04-01'],
      ['DELETE', `${ARM}${ASSIGNMENT_2}`, '2022-04-01'],
    ]);
    expect(azure.requests[0]?.authorization).toBe('Bearer test-token');
    expect(applied).toMatchObject({
      outcome: 'applied',
      details: {
        removed: [ASSIGNMENT_1, ASSIGNMENT_2],
        outOfReach: [{ scope: MG }],
        residual: expect.stringMatching(/tokens already issued stay valid/),
      },
    });
  });

  it('also lists at the scope of a protected account in a subscription outside the list', async () => {
    const azure = fakeAzure();
    azure.on('GET', /roleAssignments\?\$filter/, { status: 200, body: { value: [] } });
    const other = WEIGHTS.replace(SUB, '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918');
    const action = { ...revoke, params: { ...revoke.params, scopes: [other] } };
    const executor = removeRoleAssignments(azure.clients(), guarded);
    expect(await executor.read(action, ctx)).toEqual({ assignments: [] });
    expect(azure.requests.map((r) => r.url)).toEqual([
      `${ARM}/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '${ATTACKER}'`,
      `${ARM}${other}/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '${ATTACKER}'`,
    ]);
  });

  it('treats 404 on an already-deleted assignment as already applied', async () => {
    const azure = scripted();
    azure.on('DELETE', /roleAssignments\//, {
      status: 404,
      body: { error: { code: 'RoleAssignmentNotFound', message: 'gone' } },
    });
    const executor = removeRoleAssignments(azure.clients(), guarded);
    const applied = await executor.apply(revoke, await executor.read(revoke, ctx), ctx);
    expect(applied).toMatchObject({
      outcome: 'already-applied',
      details: { removed: [], alreadyGone: [ASSIGNMENT_1, ASSIGNMENT_2] },
    });
  });

  it('recreates each removed assignment on release with its role, principal type and condition', async () => {
    const azure = scripted({ status: 200, body: { value: [] } });
    azure.on('PUT', /roleAssignments\//, {
      status: 201,
      body: assignment(ASSIGNMENT_1, `/subscriptions/${SUB}`),
    });
    const executor = removeRoleAssignments(azure.clients(), guarded);
    const before = await executor.read(revoke, ctx);
    await executor.undo(revoke, before, ctx);
    const puts = azure.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.url, r.body])).toEqual([
      [
        `${ARM}${ASSIGNMENT_1}`,
        {
          properties: { roleDefinitionId: READER, principalId: ATTACKER, principalType: 'ServicePrincipal' },
        },
      ],
      [
        `${ARM}${ASSIGNMENT_2}`,
        {
          properties: {
            roleDefinitionId: READER,
            principalId: ATTACKER,
            principalType: 'ServicePrincipal',
            condition:
              "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'model-weights'",
            conditionVersion: '2.0',
          },
        },
      ],
    ]);
  });

  it('a release retried after a partial one writes only the assignments still missing', async () => {
    const azure = scripted({
      status: 200,
      body: { value: [assignment(ASSIGNMENT_1, `/subscriptions/${SUB}`)] },
    });
    azure.on('PUT', /roleAssignments\//, { status: 201, body: assignment(ASSIGNMENT_2, WEIGHTS) });
    const executor = removeRoleAssignments(azure.clients(), guarded);
    const before = await executor.read(revoke, ctx);
    const released = await executor.undo(revoke, before, ctx);
    expect(azure.requests.filter((r) => r.method === 'PUT').map((r) => r.url)).toEqual([
      `${ARM}${ASSIGNMENT_2}`,
    ]);
    expect(released).toEqual({ outcome: 'applied', details: { recreated: [ASSIGNMENT_2] } });
    // Everything back already: nothing written at all.
    const back = scripted();
    const again = removeRoleAssignments(back.clients(), guarded);
    expect(await again.undo(revoke, await again.read(revoke, ctx), ctx)).toEqual({
      outcome: 'already-applied',
      details: { recreated: [] },
    });
    expect(back.mutating()).toEqual([]);
  });

  it('retries 429 throttling: the SDK honours Retry-After, the core retries the rest', async () => {
    const azure = fakeAzure();
    const throttled = { status: 429, body: { error: { code: 'TooManyRequests', message: 'slow down' } } };
    azure.on(
      'GET',
      /\/roleAssignments\?\$filter/,
      { ...throttled, headers: { 'retry-after': '0' } },
      { ...throttled },
      { status: 200, body: { value: [assignment(ASSIGNMENT_1, `/subscriptions/${SUB}`)] } },
    );
    azure.on('DELETE', /roleAssignments\//, {
      status: 200,
      body: assignment(ASSIGNMENT_1, `/subscriptions/${SUB}`),
    });
    const report = await executePlan(
      { incidentId: 'inc-1', actions: [revoke] },
      { 'remove-role-assignments': removeRoleAssignments(azure.clients(), guarded) },
      { dryRun: false, retry: instantRetry },
    );
    expect(report.results[0]).toMatchObject({ outcome: 'applied', attempts: 3 });
    expect(azure.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'DELETE']);
  });

  it('refuses to revoke a responder whatever the plan says', async () => {
    const azure = scripted();
    const executor = removeRoleAssignments(azure.clients(), guarded);
    const action = { ...revoke, params: { ...revoke.params, principalId: RESPONDER } };
    await expect(executor.apply(action, await executor.read(action, ctx), ctx)).rejects.toThrow(
      /refusing to revoke/,
    );
    expect(azure.mutating()).toEqual([]);
  });
});
