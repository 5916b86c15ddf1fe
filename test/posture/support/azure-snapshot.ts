import type { PostureSnapshot } from '../../../core/posture/snapshot.ts';
import { EVIDENCE, SUB, TENANT, WEIGHTS } from '../../azure/support/config.ts';

export const LOGS = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Storage/storageAccounts/stlogs`;
export const VNET = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Network/virtualNetworks/vnet-ml`;
export const INFERENCE_SUBNET = `${VNET}/subnets/snet-inference`;
export const NSG = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Network/networkSecurityGroups/nsg-inference`;
export const NIC = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.Network/networkInterfaces/nic-vllm-0`;
export const WATCHER = `/subscriptions/${SUB}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`;
export const OPENAI = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.CognitiveServices/accounts/oai-prod`;
export const APP = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Web/sites/tourniquet-prod`;
export const EVIDENCE_CONTAINER = `${EVIDENCE}/blobServices/default/containers/evidence`;
const STORAGE_TOPIC = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.EventGrid/systemTopics/stweights-events`;
const SUB_TOPIC = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.EventGrid/systemTopics/sub-events`;

const logs = (categories: string[]) =>
  categories.map((category) => ({ category, enabled: true, retentionPolicy: { enabled: false, days: 0 } }));
const setting = (resource: string, categories: string[]) => ({
  value: [
    {
      id: `${resource}/providers/microsoft.insights/diagnosticSettings/tourniquet`,
      type: 'Microsoft.Insights/diagnosticSettings',
      name: 'tourniquet',
      properties: {
        storageAccountId: LOGS,
        workspaceId: null,
        eventHubAuthorizationRuleId: null,
        metrics: [],
        logs: logs(categories),
      },
    },
  ],
});
const eventSubscription = (topic: string, types: string[]) => ({
  value: [
    {
      id: `${topic}/eventSubscriptions/tourniquet`,
      name: 'tourniquet',
      type: 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
      properties: {
        topic,
        provisioningState: 'Succeeded',
        destination: {
          endpointType: 'AzureFunction',
          properties: {
            resourceId: `${APP}/functions/tourniquet-events`,
            maxEventsPerBatch: 1,
            preferredBatchSizeInKilobytes: 64,
          },
        },
        filter: { includedEventTypes: types, enableAdvancedFilteringOnArrays: true },
        labels: [],
        eventDeliverySchema: 'EventGridSchema',
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
        deadLetterDestination: {
          endpointType: 'StorageBlob',
          properties: { resourceId: LOGS, blobContainerName: 'eventgrid-deadletter' },
        },
      },
    },
  ],
});

/**
 * A snapshot of a subscription where every Azure check passes, in the JSON ARM returns (REST API
 * references and azure-rest-api-specs examples: Storage 2023-05-01, Monitor diagnostic settings
 * 2021-05-01-preview, Network 2024-05-01, Cognitive Services 2024-10-01, Security pricings
 * 2024-01-01, Event Grid 2025-02-15). Lists are kept as pages. Tests change one answer at a time.
 */
export function azureSnapshot(): PostureSnapshot {
  return {
    tourniquetPosture: 1,
    takenAt: '2026-03-02T06:00:00.000Z',
    scope: { azure: { tenant: TENANT, subscriptions: [SUB] } },
    azure: {
      'Microsoft.Insights/diagnosticSettings': {
        [`${WEIGHTS}/blobServices/default`]: [
          setting(`${WEIGHTS}/blobServices/default`, ['StorageRead', 'StorageWrite', 'StorageDelete']),
        ],
        [OPENAI]: [setting(OPENAI, ['Audit', 'RequestResponse', 'Trace'])],
      },
      'Microsoft.Storage/storageAccounts/blobServices': {
        [`${WEIGHTS}/blobServices/default`]: {
          id: `${WEIGHTS}/blobServices/default`,
          name: 'default',
          type: 'Microsoft.Storage/storageAccounts/blobServices',
          sku: { name: 'Standard_GRS', tier: 'Standard' },
          properties: {
            cors: { corsRules: [] },
            deleteRetentionPolicy: { allowPermanentDelete: false, enabled: true, days: 30 },
            containerDeleteRetentionPolicy: { enabled: true, days: 30 },
            isVersioningEnabled: true,
            changeFeed: { enabled: true, retentionInDays: 90 },
          },
        },
      },
      'Microsoft.Storage/storageAccounts': {
        [WEIGHTS]: {
          id: WEIGHTS,
          name: 'stweights',
          type: 'Microsoft.Storage/storageAccounts',
          location: 'westeurope',
          kind: 'StorageV2',
          sku: { name: 'Standard_GRS', tier: 'Standard' },
          properties: {
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            minimumTlsVersion: 'TLS1_2',
            publicNetworkAccess: 'Enabled',
            networkAcls: {
              bypass: 'AzureServices',
              defaultAction: 'Deny',
              ipRules: [],
              virtualNetworkRules: [],
            },
            provisioningState: 'Succeeded',
          },
        },
      },
      'Microsoft.Storage/storageAccounts/blobServices/containers': {
        [`${WEIGHTS}/blobServices/default/containers/model-weights`]: {
          id: `${WEIGHTS}/blobServices/default/containers/model-weights`,
          name: 'model-weights',
          type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
          properties: {
            publicAccess: 'None',
            hasImmutabilityPolicy: false,
            hasLegalHold: false,
            leaseState: 'Available',
          },
        },
      },
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies': {
        [`${EVIDENCE_CONTAINER}/immutabilityPolicies/default`]: {
          id: `${EVIDENCE_CONTAINER}/immutabilityPolicies/default`,
          name: 'default',
          type: 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies',
          etag: '"8d59f830d0c3bf9"',
          properties: {
            immutabilityPeriodSinceCreationInDays: 400,
            state: 'Locked',
            allowProtectedAppendWrites: true,
          },
        },
      },
      'Microsoft.Network/virtualNetworks/subnets': {
        [INFERENCE_SUBNET]: {
          id: INFERENCE_SUBNET,
          name: 'snet-inference',
          properties: {
            addressPrefix: '10.30.1.0/24',
            networkSecurityGroup: { id: NSG },
            provisioningState: 'Succeeded',
          },
          type: 'Microsoft.Network/virtualNetworks/subnets',
        },
      },
      'Microsoft.Network/networkInterfaces': {
        [NIC]: {
          id: NIC,
          name: 'nic-vllm-0',
          type: 'Microsoft.Network/networkInterfaces',
          location: 'westeurope',
          properties: {
            ipConfigurations: [
              {
                id: `${NIC}/ipConfigurations/ipconfig1`,
                name: 'ipconfig1',
                properties: {
                  privateIPAddress: '10.30.1.4',
                  subnet: { id: INFERENCE_SUBNET },
                  primary: true,
                },
              },
            ],
          },
        },
      },
      'Microsoft.Network/networkWatchers': {
        [`/subscriptions/${SUB}`]: [
          {
            value: [
              {
                id: WATCHER,
                name: 'NetworkWatcher_westeurope',
                type: 'Microsoft.Network/networkWatchers',
                location: 'westeurope',
                properties: { provisioningState: 'Succeeded' },
              },
            ],
          },
        ],
      },
      'Microsoft.Network/networkWatchers/flowLogs': {
        [WATCHER]: [
          {
            value: [
              {
                name: 'vnet-ml-flows',
                id: `${WATCHER}/flowLogs/vnet-ml-flows`,
                type: 'Microsoft.Network/networkWatchers/flowLogs',
                location: 'westeurope',
                properties: {
                  provisioningState: 'Succeeded',
                  targetResourceId: VNET,
                  targetResourceGuid: '7a1b2c3d-0000-4000-8000-000000000001',
                  storageId: LOGS,
                  enabled: true,
                  flowAnalyticsConfiguration: {},
                  retentionPolicy: { days: 0, enabled: false },
                  format: { type: 'JSON', version: 2 },
                },
              },
            ],
          },
        ],
      },
      'Microsoft.CognitiveServices/accounts': {
        [`/subscriptions/${SUB}`]: [
          {
            value: [
              {
                id: OPENAI,
                name: 'oai-prod',
                type: 'Microsoft.CognitiveServices/accounts',
                kind: 'OpenAI',
                location: 'swedencentral',
                sku: { name: 'S0' },
                properties: { disableLocalAuth: true },
              },
              {
                id: `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.CognitiveServices/accounts/speech`,
                name: 'speech',
                kind: 'SpeechServices',
                location: 'westeurope',
                properties: {},
              },
            ],
          },
        ],
      },
      'Microsoft.Security/pricings': {
        [SUB]: [
          {
            value: [
              {
                id: `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/StorageAccounts`,
                name: 'StorageAccounts',
                type: 'Microsoft.Security/pricings',
                properties: {
                  pricingTier: 'Standard',
                  subPlan: 'DefenderForStorageV2',
                  freeTrialRemainingTime: 'PT0S',
                  enablementTime: '2025-06-01T09:00:00.000Z',
                  extensions: [
                    {
                      name: 'OnUploadMalwareScanning',
                      isEnabled: 'True',
                      additionalExtensionProperties: { CapGBPerMonthPerStorageAccount: '5000' },
                    },
                    { name: 'SensitiveDataDiscovery', isEnabled: 'True' },
                  ],
                },
              },
              {
                id: `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/AI`,
                name: 'AI',
                type: 'Microsoft.Security/pricings',
                properties: { pricingTier: 'Standard', freeTrialRemainingTime: 'PT0S' },
              },
              {
                id: `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/VirtualMachines`,
                name: 'VirtualMachines',
                type: 'Microsoft.Security/pricings',
                properties: { pricingTier: 'Free', freeTrialRemainingTime: 'PT0S' },
              },
            ],
          },
        ],
      },
      'Microsoft.EventGrid/systemTopics': {
        [`/subscriptions/${SUB}`]: [
          {
            value: [
              {
                id: STORAGE_TOPIC,
                name: 'stweights-events',
                type: 'Microsoft.EventGrid/systemTopics',
                location: 'westeurope',
                properties: {
                  source: WEIGHTS,
                  topicType: 'Microsoft.Storage.StorageAccounts',
                  provisioningState: 'Succeeded',
                  metricResourceId: '1a2b3c4d-0000-4000-8000-000000000002',
                },
              },
              {
                id: SUB_TOPIC,
                name: 'sub-events',
                type: 'Microsoft.EventGrid/systemTopics',
                location: 'global',
                properties: {
                  source: `/subscriptions/${SUB}`,
                  topicType: 'Microsoft.Resources.Subscriptions',
                  provisioningState: 'Succeeded',
                },
              },
            ],
          },
        ],
      },
      'Microsoft.EventGrid/systemTopics/eventSubscriptions': {
        [STORAGE_TOPIC]: [
          eventSubscription(STORAGE_TOPIC, [
            'Microsoft.Storage.BlobDeleted',
            'Microsoft.Storage.BlobTierChanged',
            'Microsoft.Storage.BlobCreated',
          ]),
        ],
        [SUB_TOPIC]: [
          eventSubscription(SUB_TOPIC, [
            'Microsoft.Resources.ResourceActionSuccess',
            'Microsoft.Resources.ResourceWriteSuccess',
          ]),
        ],
      },
    },
  };
}
