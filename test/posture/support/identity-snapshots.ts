import type { PostureSnapshot } from '../../../core/posture/snapshot.ts';
import { SUB, TENANT, WEIGHTS } from '../../azure/support/config.ts';
import { ACCOUNT } from '../../support/config.ts';

const enc = (doc: object) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: doc }));
const role = (name: string, extra: Record<string, unknown> = {}, path = '/') => ({
  Path: path,
  RoleName: name,
  RoleId: `AROA${name
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .padEnd(17, 'X')
    .slice(0, 17)}`,
  Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
  CreateDate: '2025-01-15T10:00:00.000Z',
  AssumeRolePolicyDocument: enc([
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]),
  InstanceProfileList: [],
  RolePolicyList: [],
  AttachedManagedPolicies: [],
  Tags: [],
  ...extra,
});
const lastAccessed = (s3: string | undefined) => [
  {
    JobStatus: 'COMPLETED',
    JobType: 'ACTION_LEVEL',
    JobCreationDate: '2026-03-02T06:00:00.000Z',
    JobCompletionDate: '2026-03-02T06:00:03.000Z',
    ServicesLastAccessed: [
      {
        ServiceName: 'Amazon S3',
        ServiceNamespace: 's3',
        TotalAuthenticatedEntities: s3 ? 1 : 0,
        ...(s3
          ? { LastAuthenticated: s3, LastAuthenticatedRegion: 'us-east-1', LastAuthenticatedEntity: 'x' }
          : {}),
      },
      { ServiceName: 'AWS Security Token Service', ServiceNamespace: 'sts', TotalAuthenticatedEntities: 0 },
    ],
    IsTruncated: false,
  },
];
export const PIPELINE = `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`;
export const INFERENCE = `arn:aws:iam::${ACCOUNT}:role/llm-inference-role`;
export const ANALYST = `arn:aws:iam::${ACCOUNT}:user/dana`;
export const RESPONDER_ARN = `arn:aws:iam::${ACCOUNT}:role/ir-responder`;
export const VPCE_ROLE = `arn:aws:iam::${ACCOUNT}:role/notebook`;

/**
 * IAM as GetAccountAuthorizationDetails pages it (documents URL-encoded), with last-accessed jobs
 * and the asset bucket policy: a deployment pipeline that last touched S3 in November (stale), the
 * serving role reading daily, an analyst through a group's managed policy, a notebook role allowed
 * only through a VPC endpoint (conditional), the responder, a role for another bucket, a
 * service-linked role, and another account let in by the bucket policy.
 */
export function awsIdentitySnapshot(): PostureSnapshot {
  return {
    tourniquetPosture: 1,
    takenAt: '2026-03-02T06:00:00.000Z',
    scope: { aws: { account: ACCOUNT, regions: ['us-east-1'], stack: 'tourniquet-prod' } },
    aws: {
      'iam:GetAccountAuthorizationDetails': {
        [ACCOUNT]: [
          {
            UserDetailList: [
              {
                Path: '/',
                UserName: 'dana',
                UserId: 'AIDAEXAMPLEDANA00001',
                Arn: ANALYST,
                CreateDate: '2024-05-01T09:00:00.000Z',
                GroupList: ['ml-analysts'],
                UserPolicyList: [],
                AttachedManagedPolicies: [],
                Tags: [],
              },
            ],
            GroupDetailList: [
              {
                Path: '/',
                GroupName: 'ml-analysts',
                GroupId: 'AGPAEXAMPLEGROUP0001',
                Arn: `arn:aws:iam::${ACCOUNT}:group/ml-analysts`,
                CreateDate: '2024-05-01T09:00:00.000Z',
                GroupPolicyList: [],
                AttachedManagedPolicies: [
                  {
                    PolicyName: 'AmazonS3ReadOnlyAccess',
                    PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
                  },
                ],
              },
            ],
            RoleDetailList: [
              role('deploy-pipeline', {
                RolePolicyList: [
                  {
                    PolicyName: 'publish-weights',
                    PolicyDocument: enc([
                      {
                        Sid: 'Publish',
                        Effect: 'Allow',
                        Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
                        Resource: ['arn:aws:s3:::models-prod', 'arn:aws:s3:::models-prod/*'],
                      },
                    ]),
                  },
                ],
                RoleLastUsed: { LastUsedDate: '2026-02-28T10:00:00.000Z', Region: 'us-east-1' },
              }),
              role('llm-inference-role', {
                AttachedManagedPolicies: [
                  { PolicyName: 'read-weights', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/read-weights` },
                ],
              }),
              role('notebook', {
                RolePolicyList: [
                  {
                    PolicyName: 'via-endpoint',
                    PolicyDocument: enc([
                      {
                        Effect: 'Allow',
                        Action: 's3:GetObject',
                        Resource: 'arn:aws:s3:::training-data/*',
                        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
                      },
                    ]),
                  },
                ],
              }),
              role('ir-responder', {
                RolePolicyList: [
                  {
                    PolicyName: 'respond',
                    PolicyDocument: enc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
                  },
                ],
              }),
              role('billing-export', {
                RolePolicyList: [
                  {
                    PolicyName: 'cur',
                    PolicyDocument: enc([
                      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::cur-exports/*' },
                    ]),
                  },
                ],
              }),
              role(
                'AWSServiceRoleForAmazonMacie',
                {
                  AttachedManagedPolicies: [
                    {
                      PolicyName: 'AmazonMacieServiceRolePolicy',
                      PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonMacieServiceRolePolicy',
                    },
                  ],
                },
                '/aws-service-role/macie.amazonaws.com/',
              ),
            ],
            Policies: [
              {
                PolicyName: 'read-weights',
                PolicyId: 'ANPAEXAMPLEREADW0001',
                Arn: `arn:aws:iam::${ACCOUNT}:policy/read-weights`,
                Path: '/',
                DefaultVersionId: 'v2',
                AttachmentCount: 1,
                IsAttachable: true,
                PolicyVersionList: [
                  {
                    Document: enc([{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }]),
                    VersionId: 'v1',
                    IsDefaultVersion: false,
                  },
                  {
                    Document: enc([
                      {
                        Effect: 'Allow',
                        Action: ['s3:GetObject'],
                        Resource: 'arn:aws:s3:::models-prod/weights/*',
                      },
                    ]),
                    VersionId: 'v2',
                    IsDefaultVersion: true,
                  },
                ],
              },
              {
                PolicyName: 'AmazonS3ReadOnlyAccess',
                Arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
                Path: '/',
                DefaultVersionId: 'v3',
                AttachmentCount: 1,
                IsAttachable: true,
                PolicyVersionList: [
                  {
                    Document: enc([
                      {
                        Effect: 'Allow',
                        Action: ['s3:Get*', 's3:List*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
                        Resource: '*',
                      },
                    ]),
                    VersionId: 'v3',
                    IsDefaultVersion: true,
                  },
                ],
              },
              {
                PolicyName: 'AmazonMacieServiceRolePolicy',
                Arn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonMacieServiceRolePolicy',
                Path: '/aws-service-role/',
                DefaultVersionId: 'v9',
                PolicyVersionList: [
                  {
                    Document: enc([
                      { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
                    ]),
                    VersionId: 'v9',
                    IsDefaultVersion: true,
                  },
                ],
              },
            ],
            IsTruncated: false,
          },
        ],
      },
      's3:GetBucketPolicy': {
        'models-prod': {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'PartnerEval',
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::999988887777:root' },
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::models-prod/eval/*',
              },
            ],
          }),
        },
        'training-data': {
          $error: { code: 'NoSuchBucketPolicy', status: 404, message: 'The bucket policy does not exist' },
        },
      },
      'iam:GetServiceLastAccessedDetails': {
        [PIPELINE]: lastAccessed('2025-11-03T10:00:00.000Z'),
        [INFERENCE]: lastAccessed('2026-03-01T23:59:00.000Z'),
        [ANALYST]: lastAccessed(undefined),
        [VPCE_ROLE]: lastAccessed('2026-02-20T08:00:00.000Z'),
        [RESPONDER_ARN]: lastAccessed('2025-10-01T08:00:00.000Z'),
      },
    },
  };
}

export const PIPELINE_SP = '3c2b1a0f-9e8d-4c7b-8a69-5f4e3d2c1b0a';
export const SERVING_MI = '5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c';
export const DATA_TEAM = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
export const PIPELINE_APP = '11112222-3333-4444-8555-666677778888';
export const SERVING_APP = '99998888-7777-4666-9555-444433332222';
export const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`;
export const CONTRIBUTOR = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
export const DATA_CONTRIBUTOR = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`;
export const MONITORING = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/43d0d8ad-25c7-4714-9337-8ba259a9fe05`;
const assignment = (
  name: string,
  scope: string,
  roleDefinitionId: string,
  principalId: string,
  principalType: string,
  createdOn = '2025-03-01T10:00:00.0000000Z',
) => ({
  id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
  name,
  type: 'Microsoft.Authorization/roleAssignments',
  properties: {
    roleDefinitionId,
    principalId,
    principalType,
    scope,
    condition: null,
    conditionVersion: null,
    createdOn,
    updatedOn: createdOn,
    createdBy: '0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f',
    updatedBy: null,
    delegatedManagedIdentityResourceId: null,
    description: null,
  },
});
export const PIPELINE_ASSIGNMENT = `${WEIGHTS}/providers/Microsoft.Authorization/roleAssignments/0a1b2c3d-0000-4000-8000-00000000a001`;
const def = (id: string, roleName: string, permissions: object) => ({
  id,
  name: id.split('/').pop(),
  type: 'Microsoft.Authorization/roleDefinitions',
  properties: {
    roleName,
    type: 'BuiltInRole',
    description: roleName,
    assignableScopes: ['/'],
    permissions: [permissions],
  },
});

/**
 * Role assignments on the weights account as ARM lists them at its scope (at, above and below),
 * the built-in role definitions, and Graph: the pipeline's service principal last signed in
 * in October, the serving managed identity signs in daily, a data team group holds Contributor at
 * the subscription (account keys), Monitoring Reader gives no data access.
 */
export function azureIdentitySnapshot(): PostureSnapshot {
  return {
    tourniquetPosture: 1,
    takenAt: '2026-03-02T06:00:00.000Z',
    scope: { azure: { tenant: TENANT, subscriptions: [SUB] } },
    azure: {
      'Microsoft.Authorization/roleAssignments': {
        [WEIGHTS]: [
          {
            value: [
              assignment(
                '0a1b2c3d-0000-4000-8000-00000000a001',
                WEIGHTS,
                DATA_CONTRIBUTOR,
                PIPELINE_SP,
                'ServicePrincipal',
              ),
              assignment(
                '0a1b2c3d-0000-4000-8000-00000000a002',
                `${WEIGHTS}/blobServices/default/containers/model-weights`,
                READER,
                SERVING_MI,
                'ServicePrincipal',
              ),
              assignment(
                '0a1b2c3d-0000-4000-8000-00000000a003',
                `/subscriptions/${SUB}`,
                CONTRIBUTOR,
                DATA_TEAM,
                'Group',
              ),
              assignment(
                '0a1b2c3d-0000-4000-8000-00000000a004',
                `/subscriptions/${SUB}`,
                MONITORING,
                SERVING_MI,
                'ServicePrincipal',
              ),
              assignment(
                '0a1b2c3d-0000-4000-8000-00000000a005',
                `${WEIGHTS}/blobServices/default/containers/scratch`,
                READER,
                DATA_TEAM,
                'Group',
              ),
            ],
          },
        ],
      },
      'Microsoft.Authorization/roleDefinitions': {
        [READER]: def(READER, 'Storage Blob Data Reader', {
          actions: [
            'Microsoft.Storage/storageAccounts/blobServices/containers/read',
            'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
          ],
          notActions: [],
          dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
          notDataActions: [],
        }),
        [CONTRIBUTOR]: def(CONTRIBUTOR, 'Contributor', {
          actions: ['*'],
          notActions: [
            'Microsoft.Authorization/*/Delete',
            'Microsoft.Authorization/*/Write',
            'Microsoft.Authorization/elevateAccess/Action',
          ],
          dataActions: [],
          notDataActions: [],
        }),
        [DATA_CONTRIBUTOR]: def(DATA_CONTRIBUTOR, 'Storage Blob Data Contributor', {
          actions: [
            'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
            'Microsoft.Storage/storageAccounts/blobServices/containers/read',
            'Microsoft.Storage/storageAccounts/blobServices/containers/write',
            'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
          ],
          notActions: [],
          dataActions: [
            'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
            'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
            'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
            'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
            'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
          ],
          notDataActions: [],
        }),
        [MONITORING]: def(MONITORING, 'Monitoring Reader', {
          actions: ['*/read', 'Microsoft.Support/*'],
          notActions: [],
          dataActions: [],
          notDataActions: [],
        }),
      },
      'graph:servicePrincipals': {
        [PIPELINE_SP]: {
          '@odata.context':
            'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName,servicePrincipalType)/$entity',
          id: PIPELINE_SP,
          appId: PIPELINE_APP,
          displayName: 'gh-actions-model-release',
          servicePrincipalType: 'Application',
        },
        [SERVING_MI]: {
          id: SERVING_MI,
          appId: SERVING_APP,
          displayName: 'aks-vllm-serving',
          servicePrincipalType: 'ManagedIdentity',
        },
      },
      'graph:servicePrincipalSignInActivities': {
        [PIPELINE_APP]: [
          {
            '@odata.context':
              'https://graph.microsoft.com/beta/$metadata#reports/servicePrincipalSignInActivities',
            value: [
              {
                id: 'ZmFrZS1pZC0x',
                appId: PIPELINE_APP,
                lastSignInActivity: {
                  lastSignInDateTime: '2025-10-20T09:30:00Z',
                  lastSignInRequestId: 'a1b2c3d4-0000-4000-8000-000000000001',
                },
              },
            ],
          },
        ],
        [SERVING_APP]: [
          {
            value: [
              {
                id: 'ZmFrZS1pZC0y',
                appId: SERVING_APP,
                lastSignInActivity: {
                  lastSignInDateTime: '2026-03-02T05:12:00Z',
                  lastSignInRequestId: 'a1b2c3d4-0000-4000-8000-000000000002',
                },
              },
            ],
          },
        ],
      },
    },
  };
}
