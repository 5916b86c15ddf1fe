/** The simulated Azure estate as plain JSON: what ARM, Graph and Blob answer from. */
export interface SimAccount {
  id: string;
  name: string;
  location: string;
  properties: {
    allowSharedKeyAccess?: boolean;
    allowBlobPublicAccess?: boolean;
    networkAcls: {
      defaultAction: 'Allow' | 'Deny';
      bypass?: string;
      ipRules: { value: string; action: 'Allow' }[];
      virtualNetworkRules: { id: string; action: 'Allow' }[];
      resourceAccessRules?: { tenantId: string; resourceId: string }[];
    };
  };
  /** When every user delegation key was last revoked (keys issued before then sign nothing). */
  delegationKeysRevokedAt?: number;
  keyGeneration: { key1: number; key2: number };
}

export interface SimAssignment {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
}

export interface SimServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  servicePrincipalType: string;
}

export interface SimBlobVersion {
  etag: string;
  contentLength: number;
  /** Base64 Content-MD5. */
  contentMD5: string;
  lastModified: string;
  body?: string;
}

export interface SimBlob extends SimBlobVersion {
  snapshots: (SimBlobVersion & { snapshot: string; metadata?: Record<string, string> })[];
}

export interface SimContainer {
  account: string;
  name: string;
  publicAccess: 'container' | 'blob' | 'none';
  policies: { id: string; startsOn?: string; expiresOn?: string; permissions?: string }[];
  immutable: boolean;
  blobs: Record<string, SimBlob>;
}

/** An Azure OpenAI / AI Foundry account, as ARM answers it (Microsoft.CognitiveServices/accounts). */
export interface SimAiAccount {
  id: string;
  name: string;
  properties: {
    disableLocalAuth?: boolean;
    publicNetworkAccess?: 'Enabled' | 'Disabled';
    networkAcls?: {
      defaultAction: 'Allow' | 'Deny';
      ipRules?: { value: string }[];
      virtualNetworkRules?: { id: string }[];
      bypass?: string;
    };
  };
  keyGeneration: { Key1: number; Key2: number };
}

export interface SavedAzure {
  accounts: SimAccount[];
  /** Absent in estates saved before AI accounts were simulated. */
  aiAccounts?: SimAiAccount[];
  assignments: SimAssignment[];
  servicePrincipals: SimServicePrincipal[];
  containers: SimContainer[];
  counter: number;
}

export const emptyAzure = (): SavedAzure => ({
  accounts: [],
  aiAccounts: [],
  assignments: [],
  servicePrincipals: [],
  containers: [],
  counter: 0,
});

/** An error in the shape of an Azure SDK RestError, so functions-azure/errors.ts translates it alike. */
export function azureError(statusCode: number, code: string, message = code): Error {
  return Object.assign(new Error(message), {
    name: 'RestError',
    statusCode,
    code,
    details: { errorCode: code },
  });
}
