// ARM calls asserted as the exact REST requests Azure Resource Manager receives; bodies follow
// Azure/azure-rest-api-specs specification/authorization/…/2022-04-01/examples
// (RoleAssignments_ListForScope.json, RoleDefinitions_GetById.json). Built-in role ids: learn.microsoft.com
// "Azure built-in roles" (Storage Blob Data Owner b7e6dc6d…, Reader 2a2b9908…).
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../core/execute-plan.ts';
import type { ExecContext } from '../../core/executor.ts';
import { guardedPrincipals } from '../../functions-azure/executors/guarded.ts';
import { removeDataRoleAssignments } from '../../functions-azure/executors/remove-data-role-assignments.ts';
import type { RemoveDataRoleAssignments } from '../../packs/azure/actions.ts';
import { instantRetry } from '../support/fake-executors.ts';
import { ATTACKER, BREAK_GLASS, RESPONDER, SUB, USER, WEIGHTS } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ARM = 'https://management.azure.com';
const ctx: ExecContext = { incidentId: 'inc-1', results: new Map() };
const CONTAINER = `${WEIGHTS}/blobServices/default/containers/model-weights`;
const RA = '/providers/Microsoft.Authorization/roleAssignments';
const RD = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions`;
const OWNER_DATA = `${RD}/b7e6dc6d-f1e8-4753-8033-0f276bb0955b`;
const READER_DATA = `${RD}/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`;
const CONTRIBUTOR_ARM = `${RD}/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const CUSTOM_BLOB = `${RD}/5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f`;
const CUSTOM_QUEUE = `${RD}/6d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a`;

const A_ACCOUNT = `${WEIGHTS}${RA}/11111111-1111-4111-8111-111111111111`;
const A_CONTAINER = `${CONTAINER}${RA}/22222222-2222-4222-8222-222222222222`;
const A_CUSTOM = `${WEIGHTS}${RA}/33333333-3333-4333-8333-333333333333`;
const A_RESPONDER = `${WEIGHTS}${RA}/44444444-4444-4444-8444-444444444444`;
const A_BREAK_GLASS = `${CONTAINER}${RA}/55555555-5555-4555-8555-555555555555`;
const A_ARM_ROLE = `${WEIGHTS}${RA}/66666666-6666-4666-8666-666666666666`;
const A_QUEUE = `${WEIGHTS}${RA}/77777777-7777-4777-8777-777777777777`;
const A_INHERITED = `/subscriptions/${SUB}${RA}/88888888-8888-4888-8888-888888888888`;
const A_RG = `/subscriptions/${SUB}/resourceGroups/rg-ml${RA}/99999999-9999-4999-8999-999999999999`;

function assignment(id: string, scope: string, roleDefinitionId: string, principalId: string, extra = {}) {
  return {
    properties: { roleDefinitionId, principalId, principalType: 'ServicePrincipal', scope, ...extra },
    id,
    type: 'Microsoft.Authorization/roleAssignments',
    name: id.slice(id.lastIndexOf('/') + 1),
  };
}

function roleDefinition(id: string, dataActions: string[]) {
  return {
    id,
    name: id.slice(id.lastIndexOf('/') + 1),
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: 'custom',
      type: 'CustomRole',
      permissions: [{ actions: [], notActions: [], dataActions, notDataActions: [] }],
      assignableScopes: [`/subscriptions/${SUB}`],
    },
  };
}

const action: RemoveDataRoleAssignments = {
  id: 'a3',
  kind: 'remove-data-role-assignments',
  category: 'quarantine',
  target: WEIGHTS,
  account: SUB,
  params: { storageAccountId: WEIGHTS, accountName: 'stweights', containerScopes: [CONTAINER] },
  inverse: 'recreate',
};

const guarded = guardedPrincipals([RESPONDER, BREAK_GLASS]);

function scripted() {
  const azure = fakeAzure();
  // Listing at a scope returns assignments at, above and below it (ARM's documented behaviour).
  const all = [
    assignment(A_INHERITED, `/subscriptions/${SUB}`, READER_DATA, USER),
    assignment(A_RG, `/subscriptions/${SUB}/resourceGroups/rg-ml`, OWNER_DATA, USER),
    assignment(A_ACCOUNT, WEIGHTS, OWNER_DATA, ATTACKER),
    assignment(A_CONTAINER, CONTAINER, READER_DATA, USER, {
      condition:
        "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'x'",
      conditionVersion: '2.0',
    }),
    assignment(A_CUSTOM, WEIGHTS, CUSTOM_BLOB, ATTACKER),
    assignment(A_RESPONDER, WEIGHTS, OWNER_DATA, RESPONDER),
    assignment(A_BREAK_GLASS, CONTAINER, READER_DATA, BREAK_GLASS),
    assignment(A_ARM_ROLE, WEIGHTS, CONTRIBUTOR_ARM, ATTACKER),
    assignment(A_QUEUE, WEIGHTS, CUSTOM_QUEUE, ATTACKER),
  ];
  azure.on('GET', /\/roleAssignments$/, { status: 200, body: { value: all } });
  azure.on('GET', /b24988ac-6180-42a0-ab88-20f7382dd24c$/, {
    status: 200,
    body: roleDefinition(CONTRIBUTOR_ARM, []),
  });
  azure.on('GET', /5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f$/, {
    status: 200,
    body: roleDefinition(CUSTOM_BLOB, ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*']),
  });
  azure.on('GET', /6d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a$/, {
    status: 200,
    body: roleDefinition(CUSTOM_QUEUE, [
      'Microsoft.Storage/storageAccounts/queueServices/queues/messages/read',
    ]),
  });
  return azure;
}

describe('remove-data-role-assignments', () => {
  it('records only direct data-role assignments at the account and container, skipping guarded principals', async () => {
    const azure = scripted();
    const executor = removeDataRoleAssignments(azure.clients(), guarded);
    const before = await executor.read(action, ctx);

    expect(before.assignments).toEqual([
      {
        id: A_CONTAINER,
        name: '22222222-2222-4222-8222-222222222222',
        scope: CONTAINER,
        roleDefinitionId: READER_DATA,
        principalId: USER,
        principalType: 'ServicePrincipal',
        condition:
          "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'x'",
        conditionVersion: '2.0',
      },
      {
        id: A_ACCOUNT,
        name: '11111111-1111-4111-8111-111111111111',
        scope: WEIGHTS,
        roleDefinitionId: OWNER_DATA,
        principalId: ATTACKER,
        principalType: 'ServicePrincipal',
      },
      {
        id: A_CUSTOM,
        name: '33333333-3333-4333-8333-333333333333',
        scope: WEIGHTS,
        roleDefinitionId: CUSTOM_BLOB,
        principalId: ATTACKER,
        principalType: 'ServicePrincipal',
      },
    ]);
    expect(before.skipped).toEqual([
      { id: A_BREAK_GLASS, principalId: BREAK_GLASS },
      { id: A_RESPONDER, principalId: RESPONDER },
    ]);
    expect(azure.requests.map((r) => [r.method, r.url, r.apiVersion])).toEqual([
      ['GET', `${ARM}${WEIGHTS}${RA}`, '2022-04-01'],
      ['GET', `${ARM}${CONTAINER}${RA}`, '2022-04-01'],
      ['GET', `${ARM}${CUSTOM_BLOB}`, '2022-04-01'],
      ['GET', `${ARM}${CONTRIBUTOR_ARM}`, '2022-04-01'],
      ['GET', `${ARM}${CUSTOM_QUEUE}`, '2022-04-01'],
    ]);
  });

  it('deletes exactly the recorded assignments, never a role definition', async () => {
    const azure = scripted();
    azure.on('DELETE', /roleAssignments\//, {
      status: 200,
      body: assignment(A_ACCOUNT, WEIGHTS, OWNER_DATA, ATTACKER),
    });
    const executor = removeDataRoleAssignments(azure.clients(), guarded);
    const before = await executor.read(action, ctx);
    const applied = await executor.apply(action, before, ctx);
    const writes = azure.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.url])).toEqual([
      ['DELETE', `${ARM}${A_CONTAINER}`],
      ['DELETE', `${ARM}${A_ACCOUNT}`],
      ['DELETE', `${ARM}${A_CUSTOM}`],
    ]);
    expect(applied).toMatchObject({
      outcome: 'applied',
      details: { removed: [A_CONTAINER, A_ACCOUNT, A_CUSTOM] },
    });
  });

  it('refuses to delete a guarded principal even when a tampered before-state names it', async () => {
    const azure = scripted();
    azure.on('DELETE', /roleAssignments\//, {
      status: 200,
      body: assignment(A_ACCOUNT, WEIGHTS, OWNER_DATA, ATTACKER),
    });
    const executor = removeDataRoleAssignments(azure.clients(), guarded);
    const applied = await executor.apply(
      action,
      {
        assignments: [
          {
            id: A_RESPONDER,
            name: '44444444-4444-4444-8444-444444444444',
            scope: WEIGHTS,
            roleDefinitionId: OWNER_DATA,
            principalId: RESPONDER,
          },
        ],
        skipped: [],
      },
      ctx,
    );
    expect(azure.requests).toEqual([]);
    expect(applied.outcome).toBe('already-applied');
  });

  it('a second delivery finds them gone (204 / 404) and repeats nothing', async () => {
    const azure = scripted();
    azure.on('DELETE', /roleAssignments\//, { status: 204 });
    const executor = removeDataRoleAssignments(azure.clients(), guarded);
    const before = await executor.read(action, ctx);
    const applied = await executor.apply(action, before, ctx);
    expect(applied).toMatchObject({
      outcome: 'already-applied',
      details: { removed: [], alreadyGone: [A_CONTAINER, A_ACCOUNT, A_CUSTOM] },
    });
  });

  it('release recreates exactly the recorded assignments with the same names; RoleAssignmentExists is restored', async () => {
    const azure = scripted();
    // What the principals hold when the release starts: nothing (the listing is by principal).
    azure.on('GET', /\/providers\/Microsoft.Authorization\/roleAssignments\?\$filter=principalId/, {
      status: 200,
      body: { value: [] },
    });
    azure.on('DELETE', /roleAssignments\//, {
      status: 200,
      body: assignment(A_ACCOUNT, WEIGHTS, OWNER_DATA, ATTACKER),
    });
    azure.on(
      'PUT',
      /roleAssignments\//,
      { status: 201, body: assignment(A_ACCOUNT, WEIGHTS, OWNER_DATA, ATTACKER) },
      { status: 201, body: assignment(A_CUSTOM, WEIGHTS, CUSTOM_BLOB, ATTACKER) },
      {
        status: 409,
        body: { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } },
      },
    );
    const executor = removeDataRoleAssignments(azure.clients(), guarded);
    const before = await executor.read(action, ctx);
    await executor.apply(action, before, ctx);
    const released = await executor.undo(action, before, ctx);
    const puts = azure.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.url, r.body])).toEqual([
      [
        `${ARM}${A_CONTAINER}`,
        {
          properties: {
            roleDefinitionId: READER_DATA,
            principalId: USER,
            principalType: 'ServicePrincipal',
            condition:
              "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'x'",
            conditionVersion: '2.0',
          },
        },
      ],
      [
        `${ARM}${A_ACCOUNT}`,
        {
          properties: {
            roleDefinitionId: OWNER_DATA,
            principalId: ATTACKER,
            principalType: 'ServicePrincipal',
          },
        },
      ],
      [
        `${ARM}${A_CUSTOM}`,
        {
          properties: {
            roleDefinitionId: CUSTOM_BLOB,
            principalId: ATTACKER,
            principalType: 'ServicePrincipal',
          },
        },
      ],
    ]);
    expect(released).toMatchObject({ outcome: 'applied', details: { recreated: [A_CONTAINER, A_ACCOUNT] } });
  });

  it('dry-run makes no call', async () => {
    const azure = scripted();
    const executor = removeDataRoleAssignments(azure.clients(), guarded);
    const report = await executePlan(
      { incidentId: 'inc-1', actions: [action] },
      { 'remove-data-role-assignments': executor },
      { dryRun: true, retry: instantRetry },
    );
    expect(report.results[0]).toMatchObject({ outcome: 'skipped-dry-run' });
    expect(azure.requests).toEqual([]);
  });
});
