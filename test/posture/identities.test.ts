import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../core/posture/collect.ts';
import { analyseIdentities } from '../../core/posture/identities.ts';
import { snapshotView } from '../../core/posture/snapshot.ts';
import { awsIdentityAnalysis } from '../../packs/aws/posture/identities/analysis.ts';
import { azureIdentityAnalysis } from '../../packs/azure/posture/identities/analysis.ts';
import { azureConfig, SUB, WEIGHTS } from '../azure/support/config.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import {
  ANALYST,
  awsIdentitySnapshot,
  azureIdentitySnapshot,
  DATA_TEAM,
  INFERENCE,
  PIPELINE,
  PIPELINE_SP,
  RESPONDER_ARN,
  SERVING_MI,
  VPCE_ROLE,
} from './support/identity-snapshots.ts';

const MACIE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
const NOW = new Date('2026-03-02T06:00:00.000Z');
const aws = awsConfig();
const azure = azureConfig();

function awsRows(snapshot = awsIdentitySnapshot()) {
  return analyseIdentities(
    awsIdentityAnalysis,
    { config: aws, scope: snapshot.scope, view: snapshotView(snapshot, 'aws') },
    NOW,
  );
}

describe('AWS standing access', () => {
  it('lists who can read or write each asset bucket, how, and since when unused', () => {
    const rows = awsRows().map((r) => [
      r.asset,
      r.principal.id,
      r.access,
      r.status,
      r.via.join(', '),
      r.conditional,
    ]);
    expect(rows).toEqual([
      ['models-prod', PIPELINE, 'read-write', 'stale', 'inline:publish-weights', false],
      ['models-prod', INFERENCE, 'read', 'active', 'managed:read-weights', false],
      ['models-prod', RESPONDER_ARN, 'read-write', 'guarded', 'inline:respond', false],
      ['models-prod', MACIE, 'read', 'guarded', 'managed:AmazonMacieServiceRolePolicy', false],
      ['models-prod', ANALYST, 'read', 'stale', 'group ml-analysts:managed:AmazonS3ReadOnlyAccess', false],
      ['models-prod', 'arn:aws:iam::999988887777:root', 'read', 'unknown', 'bucket policy', false],
      [
        'training-data',
        PIPELINE.replace('deploy-pipeline', 'notebook'),
        'read',
        'active',
        'inline:via-endpoint',
        true,
      ],
      ['training-data', RESPONDER_ARN, 'read-write', 'guarded', 'inline:respond', false],
      ['training-data', MACIE, 'read', 'guarded', 'managed:AmazonMacieServiceRolePolicy', false],
      ['training-data', ANALYST, 'read', 'stale', 'group ml-analysts:managed:AmazonS3ReadOnlyAccess', false],
    ]);
  });

  it('says why each is stale: S3 last used by the service-last-accessed data, or never since creation', () => {
    const byId = new Map(awsRows().map((r) => [r.principal.id, r]));
    expect(byId.get(PIPELINE)).toMatchObject({
      lastUsed: '2025-11-03T10:00:00.000Z',
      lastUsedFrom: 'IAM last accessed (S3)',
      detail: 'last used 118 days ago (over 30)',
    });
    expect(byId.get(ANALYST)).toMatchObject({
      lastUsedFrom: 'IAM last accessed (S3): never',
      detail: 'never used in the tracking period; created 669 days ago',
    });
    expect(byId.get(VPCE_ROLE)?.status).toBe('active');
  });

  it('honours posture.staleAfterDays', () => {
    const config = awsConfig({ posture: { staleAfterDays: 200 } });
    const snapshot = awsIdentitySnapshot();
    const rows = analyseIdentities(
      awsIdentityAnalysis,
      { config, scope: snapshot.scope, view: snapshotView(snapshot, 'aws') },
      NOW,
    );
    expect(rows.find((r) => r.principal.id === PIPELINE)?.status).toBe('active');
  });

  it('counts Tourniquet\u2019s own standing-access Deny: a principal it covers no longer has access', () => {
    const snapshot = awsIdentitySnapshot();
    const pages = snapshot.aws?.['iam:GetAccountAuthorizationDetails']?.[ACCOUNT] as {
      RoleDetailList: { RoleName: string; RolePolicyList: object[] }[];
    }[];
    pages[0]?.RoleDetailList.find((r) => r.RoleName === 'deploy-pipeline')?.RolePolicyList.push({
      PolicyName: 'TourniquetStandingAccess',
      PolicyDocument: encodeURIComponent(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: ['s3:GetObject', 's3:PutObject'],
              Resource: ['arn:aws:s3:::models-prod', 'arn:aws:s3:::models-prod/*'],
            },
          ],
        }),
      ),
    });
    expect(awsRows(snapshot).some((r) => r.principal.id === PIPELINE)).toBe(false);
  });

  it('asks IAM for last-accessed data only of the principals that have access (not service-linked or foreign ones)', async () => {
    const recorded = awsIdentitySnapshot();
    const live = await collectSnapshot([awsIdentityAnalysis], async (r) => recorded.aws?.[r.op]?.[r.key], {
      cloud: 'aws',
      config: aws,
      scope: recorded.scope,
      now: NOW,
    });
    expect(Object.keys(live.aws?.['iam:GetServiceLastAccessedDetails'] ?? {}).sort()).toEqual(
      [ANALYST, PIPELINE, INFERENCE, RESPONDER_ARN, VPCE_ROLE].sort(),
    );
    expect(live).toEqual(recorded);
  });

  it('is one unknown row when the account details cannot be read', () => {
    const snapshot = awsIdentitySnapshot();
    (snapshot.aws as Record<string, Record<string, unknown>>)['iam:GetAccountAuthorizationDetails'] = {
      [ACCOUNT]: {
        $error: {
          code: 'AccessDenied',
          status: 403,
          message: 'not authorized to perform iam:GetAccountAuthorizationDetails',
        },
      },
    };
    expect(awsRows(snapshot)).toMatchObject([
      { status: 'unknown', detail: expect.stringContaining('AccessDenied') },
    ]);
  });
});

describe('Azure standing access', () => {
  const rows = (snapshot = azureIdentitySnapshot()) =>
    analyseIdentities(
      azureIdentityAnalysis,
      { config: azure, scope: snapshot.scope, view: snapshotView(snapshot, 'azure') },
      NOW,
    );

  it('lists the role assignments that give data access to the asset account, and last sign-ins', () => {
    expect(rows().map((r) => [r.principal.id, r.principal.type, r.access, r.status, r.detail])).toEqual([
      [PIPELINE_SP, 'serviceprincipal', 'read-write', 'stale', 'last used 132 days ago (over 30)'],
      [SERVING_MI, 'managed-identity', 'read', 'active', 'last used 0 days ago'],
      [
        DATA_TEAM,
        'group',
        'read-write',
        'unknown',
        'a Group: sign-in activity is read for service principals only',
      ],
    ]);
    expect(rows()[2]?.via).toEqual([
      `Contributor at /subscriptions/${SUB} (/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/0a1b2c3d-0000-4000-8000-00000000a003)`,
      'listKeys (account keys)',
    ]);
  });

  it('does not count Contributor once Shared Key is off, nor a role on another container', () => {
    const snapshot = azureIdentitySnapshot();
    (snapshot.azure as Record<string, Record<string, unknown>>)['Microsoft.Storage/storageAccounts'] = {
      [WEIGHTS]: { id: WEIGHTS, properties: { allowSharedKeyAccess: false } },
    };
    expect(rows(snapshot).map((r) => r.principal.id)).toEqual([PIPELINE_SP, SERVING_MI]);
  });

  it('reads sign-in activity only for service principals, and asks Graph for each app id', async () => {
    const recorded = azureIdentitySnapshot();
    const asked: string[] = [];
    const live = await collectSnapshot(
      [azureIdentityAnalysis],
      async (r) => {
        asked.push(`${r.op} ${(r.input as { path: string }).path}`);
        return recorded.azure?.[r.op]?.[r.key];
      },
      { cloud: 'azure', config: azure, scope: recorded.scope, now: NOW },
    );
    expect(live).toEqual(recorded);
    expect(asked.filter((a) => a.startsWith('graph:servicePrincipalSignInActivities'))).toEqual([
      "graph:servicePrincipalSignInActivities /beta/reports/servicePrincipalSignInActivities?$filter=appId eq '11112222-3333-4444-8555-666677778888'",
      "graph:servicePrincipalSignInActivities /beta/reports/servicePrincipalSignInActivities?$filter=appId eq '99998888-7777-4666-9555-444433332222'",
    ]);
  });
});
