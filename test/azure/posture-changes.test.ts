/**
 * Azure posture changes as the exact ARM requests: a just-in-time grant through PIM
 * (roleAssignmentScheduleRequests, 2020-10-01) or, in a tenant without PIM, a role assignment with
 * an expiry condition (2022-04-01); the grant's undo; the standing-access fix removing only the
 * named assignment. Response shapes follow azure-rest-api-specs authorization examples.
 */
import { describe, expect, it } from 'vitest';
import type { ExecContext } from '../../core/executor.ts';
import { changeDecision } from '../../core/posture/change.ts';
import { analyseIdentities } from '../../core/posture/identities.ts';
import { snapshotView } from '../../core/posture/snapshot.ts';
import { grantRole } from '../../functions-azure/executors/grant-role.ts';
import { guardedPrincipals } from '../../functions-azure/executors/guarded.ts';
import { removeRoleAssignments } from '../../functions-azure/executors/remove-role-assignments.ts';
import type { GrantRole, RemoveRoleAssignments } from '../../packs/azure/actions.ts';
import { azureIdentityAnalysis } from '../../packs/azure/posture/identities/analysis.ts';
import {
  azureGrantChange,
  azureStandingAccessChange,
  expiryCondition,
} from '../../packs/azure/posture/posture-changes.ts';
import {
  azureIdentitySnapshot,
  PIPELINE_ASSIGNMENT,
  PIPELINE_SP,
} from '../posture/support/identity-snapshots.ts';
import { azureConfig, BREAK_GLASS, SUB, WEIGHTS } from './support/config.ts';
import { fakeAzure } from './support/fake-http.ts';

const ARM = 'https://management.azure.com';
const ctx: ExecContext = { incidentId: 'azure-grant-1', results: new Map() };
const START = new Date('2026-03-02T10:00:00.000Z');
const config = azureConfig();

function planGrant(over: Partial<Parameters<typeof azureGrantChange>[0]> = {}): GrantRole {
  const change = azureGrantChange({
    config,
    principalId: PIPELINE_SP,
    principalType: 'ServicePrincipal',
    asset: 'stweights',
    container: 'model-weights',
    access: 'read',
    startsAt: START,
    expiresAt: new Date('2026-03-02T12:00:00.000Z'),
    grantId: 'azure-grant-20260302-0001',
    reason: 'retrain',
    ...over,
  });
  return change.actions[0] as GrantRole;
}
const SCOPE = `${WEIGHTS}/blobServices/default/containers/model-weights`;

describe('grant-role', () => {
  it('asks PIM for an assignment that ends at expiry, and nothing else, where the tenant has PIM', async () => {
    const azure = fakeAzure();
    const action = planGrant();
    azure.on('GET', /roleAssignments\//, {
      status: 404,
      body: { error: { code: 'RoleAssignmentNotFound', message: 'not found' } },
    });
    azure.on('PUT', /roleAssignmentScheduleRequests\//, {
      status: 201,
      body: { id: 'x', name: action.params.requestName, properties: { status: 'Provisioned' } },
    });
    const executor = grantRole(azure.clients());
    const before = await executor.read(action, ctx);
    expect(await executor.apply(action, before, ctx)).toMatchObject({
      outcome: 'applied',
      details: { via: 'pim' },
    });
    expect(azure.mutating()).toEqual([
      {
        method: 'PUT',
        url: `${ARM}${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${action.params.requestName}`,
        apiVersion: '2020-10-01',
        authorization: 'Bearer test-token',
        body: {
          properties: {
            principalId: PIPELINE_SP,
            roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
            requestType: 'AdminAssign',
            justification: 'retrain (tourniquet azure-grant-20260302-0001)',
            scheduleInfo: {
              startDateTime: '2026-03-02T10:00:00.000Z',
              expiration: { type: 'AfterDateTime', endDateTime: '2026-03-02T12:00:00.000Z' },
            },
          },
        },
      },
    ]);
  });

  it('falls back to a role assignment that stops at expiry by its condition when PIM is not licensed', async () => {
    const azure = fakeAzure();
    const action = planGrant();
    azure.on('GET', /roleAssignments\//, {
      status: 404,
      body: { error: { code: 'RoleAssignmentNotFound', message: 'x' } },
    });
    azure.on('PUT', /roleAssignmentScheduleRequests\//, {
      status: 400,
      body: {
        error: {
          code: 'AadPremiumLicenseRequired',
          message: 'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.',
        },
      },
    });
    azure.on('PUT', /\/roleAssignments\//, {
      status: 201,
      body: {
        id: `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${action.params.assignmentName}`,
        name: action.params.assignmentName,
        properties: {},
      },
    });
    const executor = grantRole(azure.clients());
    expect(await executor.apply(action, await executor.read(action, ctx), ctx)).toMatchObject({
      outcome: 'applied',
      details: { via: 'assignment' },
    });
    const put = azure.mutating().find((r) => r.url.includes('/roleAssignments/'));
    expect(put).toMatchObject({
      url: `${ARM}${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${action.params.assignmentName}`,
      apiVersion: '2022-04-01',
      body: {
        properties: {
          principalType: 'ServicePrincipal',
          conditionVersion: '2.0',
          condition:
            "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Environment[UtcNow] DateTimeLessThan '2026-03-02T12:00:00.000Z'))",
        },
      },
    });
  });

  it('does not fall back on other refusals: a 403 for missing rights fails the action', async () => {
    const azure = fakeAzure();
    const action = planGrant();
    azure.on('PUT', /roleAssignmentScheduleRequests\//, {
      status: 403,
      body: {
        error: {
          code: 'AuthorizationFailed',
          message:
            'The client does not have authorization to perform action roleAssignmentScheduleRequests/write',
        },
      },
    });
    await expect(grantRole(azure.clients()).apply(action, { assignmentExisted: false }, ctx)).rejects.toThrow(
      /AuthorizationFailed|authorization/,
    );
    expect(azure.mutating()).toHaveLength(1);
  });

  it('undo removes the fallback assignment and asks PIM to remove its own, either may be gone', async () => {
    const azure = fakeAzure();
    const action = planGrant();
    azure.on('DELETE', /roleAssignments\//, { status: 204 });
    azure.on('PUT', /roleAssignmentScheduleRequests\//, {
      status: 400,
      body: { error: { code: 'RoleAssignmentDoesNotExist', message: 'The Role assignment does not exist.' } },
    });
    const r = await grantRole(azure.clients()).undo(action, { assignmentExisted: false }, ctx);
    expect(r).toMatchObject({ outcome: 'already-applied' });
    expect(azure.mutating().map((r) => [r.method, r.url.replace(ARM, '')])).toEqual([
      [
        'DELETE',
        `${SCOPE}/providers/Microsoft.Authorization/roleAssignments/${action.params.assignmentName}`,
      ],
      [
        'PUT',
        `${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${action.params.removeRequestName}`,
      ],
    ]);
    expect(azure.mutating()[1]?.body).toMatchObject({
      properties: { requestType: 'AdminRemove', principalId: PIPELINE_SP },
    });
  });

  it.each([
    [{ principalId: BREAK_GLASS }, /responder or break-glass/],
    [{ asset: 'stother' }, /not one of the azure.assets/],
    [{ expiresAt: new Date('2026-03-03T10:00:00.000Z') }, /posture.maxGrantHours = 12 h/],
  ])('refuses %j', (over, message) => {
    expect(() => planGrant(over)).toThrow(message);
  });

  it('a write grant conditions every blob data action it gives', () => {
    expect(expiryCondition('write', 'T')).toBe(
      "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}) AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}) AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'}) AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}) AND !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action'})) OR (@Environment[UtcNow] DateTimeLessThan 'T'))",
    );
  });
});

describe('the Azure standing-access fix', () => {
  it('removes only the stale service principal\u2019s assignment on the asset', async () => {
    const snapshot = azureIdentitySnapshot();
    const now = new Date(snapshot.takenAt);
    const rows = analyseIdentities(
      azureIdentityAnalysis,
      { config, scope: snapshot.scope, view: snapshotView(snapshot, 'azure') },
      now,
    );
    const { change, skipped } = azureStandingAccessChange(rows, config, now);
    expect(skipped).toEqual([]);
    const { decision } = changeDecision(change as never, config);
    const action = decision.actions[0] as RemoveRoleAssignments;
    expect(decision.actions).toHaveLength(1);
    expect(action.params).toEqual({
      principalId: PIPELINE_SP,
      subscriptions: [],
      scopes: [WEIGHTS],
      assignmentIds: [PIPELINE_ASSIGNMENT],
    });

    const azure = fakeAzure();
    const listed = (id: string, name: string) => ({
      id,
      name,
      properties: {
        roleDefinitionId: '/x/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe',
        principalId: PIPELINE_SP,
        principalType: 'ServicePrincipal',
        scope: WEIGHTS,
      },
    });
    const other = `${WEIGHTS}/providers/Microsoft.Authorization/roleAssignments/0a1b2c3d-0000-4000-8000-00000000a0ff`;
    azure.on('GET', /roleAssignments\?\$filter/, {
      status: 200,
      body: {
        value: [
          listed(PIPELINE_ASSIGNMENT, PIPELINE_ASSIGNMENT.split('/').pop() ?? ''),
          listed(other, 'other'),
        ],
      },
    });
    azure.on('DELETE', /roleAssignments\//, { status: 200, body: listed(PIPELINE_ASSIGNMENT, 'x') });
    const executor = removeRoleAssignments(azure.clients(), guardedPrincipals([]));
    const result = await executor.apply(action, await executor.read(action, ctx), ctx);
    expect(result.details?.removed).toEqual([PIPELINE_ASSIGNMENT]);
    expect(azure.mutating().map((r) => r.url.replace(ARM, ''))).toEqual([PIPELINE_ASSIGNMENT]);
  });
});
