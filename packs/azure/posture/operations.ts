/**
 * Every Azure read a posture check or the identity analysis may make: the ARM or Microsoft Graph
 * GET it is, its api-version, and the permission it needs (Azure RBAC actions; `graph:` for
 * Microsoft Graph application permissions). Lists keep each page (`value` + `nextLink`). The
 * posture custom role grants exactly these actions (test/meta).
 */
export const AZURE_POSTURE_OPERATIONS = {
  'Microsoft.Storage/storageAccounts': {
    api: '2023-05-01',
    permissions: ['Microsoft.Storage/storageAccounts/read'],
  },
  'Microsoft.Storage/storageAccounts/blobServices': {
    api: '2023-05-01',
    permissions: ['Microsoft.Storage/storageAccounts/blobServices/read'],
  },
  'Microsoft.Storage/storageAccounts/blobServices/containers': {
    api: '2023-05-01',
    permissions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read'],
  },
  'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies': {
    api: '2023-05-01',
    permissions: ['Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read'],
  },
  'Microsoft.Insights/diagnosticSettings': {
    api: '2021-05-01-preview',
    permissions: ['Microsoft.Insights/DiagnosticSettings/Read'],
    list: true,
  },
  'Microsoft.Network/networkWatchers': {
    api: '2024-05-01',
    permissions: ['Microsoft.Network/networkWatchers/read'],
    list: true,
  },
  'Microsoft.Network/networkWatchers/flowLogs': {
    api: '2024-05-01',
    permissions: ['Microsoft.Network/networkWatchers/flowLogs/read'],
    list: true,
  },
  'Microsoft.Network/networkInterfaces': {
    api: '2024-05-01',
    permissions: ['Microsoft.Network/networkInterfaces/read'],
  },
  'Microsoft.Network/virtualNetworks/subnets': {
    api: '2024-05-01',
    permissions: ['Microsoft.Network/virtualNetworks/subnets/read'],
  },
  'Microsoft.CognitiveServices/accounts': {
    api: '2024-10-01',
    permissions: ['Microsoft.CognitiveServices/accounts/read'],
    list: true,
  },
  'Microsoft.Security/pricings': {
    api: '2024-01-01',
    permissions: ['Microsoft.Security/pricings/read'],
    list: true,
  },
  'Microsoft.EventGrid/systemTopics': {
    api: '2025-02-15',
    permissions: ['Microsoft.EventGrid/systemTopics/read'],
    list: true,
  },
  'Microsoft.EventGrid/systemTopics/eventSubscriptions': {
    api: '2025-02-15',
    permissions: ['Microsoft.EventGrid/systemTopics/eventSubscriptions/read'],
    list: true,
  },
  'Microsoft.Authorization/roleAssignments': {
    api: '2022-04-01',
    permissions: ['Microsoft.Authorization/roleAssignments/read'],
    list: true,
  },
  'Microsoft.Authorization/roleDefinitions': {
    api: '2022-04-01',
    permissions: ['Microsoft.Authorization/roleDefinitions/read'],
  },
  'graph:servicePrincipals': { api: 'v1.0', permissions: ['graph:Application.Read.All'] },
  'graph:servicePrincipalSignInActivities': {
    api: 'beta',
    permissions: ['graph:AuditLog.Read.All'],
    list: true,
  },
} as const satisfies Record<string, { api: string; permissions: readonly string[]; list?: boolean }>;

export type AzurePostureOperation = keyof typeof AZURE_POSTURE_OPERATIONS;

/** What the Azure reader GETs: an ARM path (with its api-version) or a Graph path. */
export interface AzureReadInput {
  api: 'arm' | 'graph';
  /** Path and query after the host, e.g. `/subscriptions/…/blobServices/default?api-version=2023-05-01`. */
  path: string;
}

/** A read of one of the operations above: key = the ARM id (or Graph id) it is about. */
export function azureRead(op: AzurePostureOperation, key: string, path: string) {
  const { api } = AZURE_POSTURE_OPERATIONS[op];
  const graph = op.startsWith('graph:');
  const input: AzureReadInput = graph
    ? { api: 'graph', path: `/${api}${path}` }
    : { api: 'arm', path: `${path}${path.includes('?') ? '&' : '?'}api-version=${api}` };
  return { op, key, input };
}
