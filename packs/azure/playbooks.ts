import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import type { Playbook } from '../../core/playbooks/playbook.ts';
import { matchesAny } from '../../core/principal-match.ts';
import { alertAssetContainers, scopeCoversAsset } from './assets.ts';
import { aiPlaybooks } from './playbooks-ai.ts';

const noAssetNamed = (alert: Alert, config: Config) =>
  alertAssetContainers(alert, config).length ? undefined : 'names no protected storage container';

/**
 * Activity by a configured known identity is routine; without a list nothing can be judged, so
 * nothing is done (as for AWS `detect.knownReaders`).
 */
const unexpectedActor = (alert: Alert, config: Config) => {
  const known = config.azure?.knownIdentities ?? [];
  if (known.length === 0) return 'no azure.knownIdentities configured: the actor cannot be judged';
  if (alert.principal && matchesAny(known, alert.principal))
    return `a known identity (${alert.principal.id})`;
  return undefined;
};

/** ARM operations on protected storage, as Event Grid and Activity Log alerts name them. */
export const KEY_OPERATIONS = [
  'Microsoft.Storage/storageAccounts/listKeys/action',
  'Microsoft.Storage/storageAccounts/regenerateKey/action',
  'Microsoft.Storage/storageAccounts/listAccountSas/action',
  'Microsoft.Storage/storageAccounts/listServiceSas/action',
] as const;
export const ACCESS_CHANGE_OPERATIONS = [
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Storage/storageAccounts/write',
  'Microsoft.Storage/storageAccounts/blobServices/containers/write',
] as const;

/**
 * Azure playbooks. Types are Defender for Cloud alert types, ARM operation names (Event Grid
 * resource events and Activity Log alerts), blob event types, `Metric:<name>` for metric alerts,
 * the malware scan result, and Graph alert events. Activity events say `onResponder: 'ignore'`:
 * Tourniquet's own key rotation and account updates show up in them and must not start a loop.
 */
export const azurePlaybooks: readonly Playbook[] = [
  ...aiPlaybooks,
  {
    id: 'azure-storage-exfiltration',
    description: 'Data read out of a storage account anomalously or from a suspicious, Tor or unknown client',
    sources: ['defender'],
    types: [
      'Storage.Blob_DataExfiltration.*',
      'Storage.Blob_TorAnomaly*',
      'Storage.Blob_SuspiciousIp*',
      'Storage.Blob_SuspiciousApp*',
    ],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'azure-storage-exposed',
    description: 'A protected container was read anonymously or opened to public access',
    sources: ['defender'],
    types: [
      'Storage.Blob_AnonymousAccessAnomaly*',
      'Storage.Blob_OpenACL',
      'Storage.Blob_OpenContainersScanning.SuccessfulDiscovery',
    ],
    intents: ['contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
    benign: noAssetNamed,
  },
  {
    id: 'azure-storage-access-anomaly',
    description: 'Unusual access, enumeration or deletion on a storage account: evidence kept, humans judge',
    sources: ['defender'],
    types: [
      'Storage.Blob_GeoAnomaly*',
      'Storage.Blob_ApplicationAnomaly*',
      'Storage.Blob_AccessInspectionAnomaly*',
      'Storage.Blob_DataExplorationAnomaly*',
      'Storage.Blob_DeletionAnomaly*',
    ],
    intents: ['revoke-principal', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'azure-malware-in-asset',
    description: 'Malware found in a protected container (a poisoned model or dataset)',
    sources: ['defender', 'malware-scanning'],
    types: ['Storage.Blob_MalwareHashReputation', 'Storage.Blob_MalwareScan*', 'Malicious'],
    intents: ['preserve-evidence', 'escalate'],
    onResponder: 'escalate',
    benign: noAssetNamed,
  },
  {
    id: 'azure-storage-keys-taken',
    description: 'Account keys or SAS listed or regenerated on protected storage by an unexpected identity',
    sources: ['eventgrid', 'monitor'],
    types: KEY_OPERATIONS,
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) => unexpectedActor(alert, config) ?? noAssetNamed(alert, config),
  },
  {
    id: 'azure-storage-access-changed',
    description: 'A role assignment or access setting changed on protected storage by an unexpected identity',
    sources: ['eventgrid', 'monitor'],
    types: ACCESS_CHANGE_OPERATIONS,
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) => {
      const actor = unexpectedActor(alert, config);
      if (actor) return actor;
      const scope = typeof alert.context.scope === 'string' ? alert.context.scope : undefined;
      if (scope && scopeCoversAsset(scope, config)) return undefined;
      return noAssetNamed(alert, config);
    },
  },
  {
    id: 'azure-weights-destroyed',
    description: 'Model weights deleted or re-tiered by an unexpected identity',
    sources: ['eventgrid'],
    types: ['Microsoft.Storage.BlobDeleted', 'Microsoft.Storage.BlobTierChanged'],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) => {
      const actor = unexpectedActor(alert, config);
      if (actor) return actor;
      const weights = alertAssetContainers(alert, config).filter((c) => c.asset.kind === 'model-weights');
      return weights.length ? undefined : 'names no protected model-weights container';
    },
  },
  {
    id: 'azure-egress-alert',
    description: 'An Azure Monitor metric alert on egress from a protected storage account fired',
    sources: ['monitor'],
    types: ['Metric:Egress'],
    intents: ['contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
    benign: noAssetNamed,
  },
  {
    id: 'azure-security-alert',
    description: 'A security alert (Microsoft Graph, or Defender via the Activity Log): humans are told',
    sources: ['graph', 'monitor'],
    types: [
      'Microsoft.Graph.AlertCreated',
      'ActivityLog:Microsoft.Security/locations/alerts/activate/action',
    ],
    intents: ['escalate'],
    onResponder: 'escalate',
  },
];
