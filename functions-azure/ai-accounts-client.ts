import { azureCall } from './errors.ts';
import { restFailure } from './rest-error.ts';

/** The properties of an Azure OpenAI / AI Foundry account Tourniquet reads and changes. */
export interface AiAccountState {
  disableLocalAuth?: boolean;
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  networkAcls?: AiNetworkAcls;
}

/** Microsoft.CognitiveServices `NetworkRuleSet`, as ARM answers it. */
export interface AiNetworkAcls {
  defaultAction: 'Allow' | 'Deny';
  ipRules?: { value: string }[];
  virtualNetworkRules?: { id: string; ignoreMissingVnetServiceEndpoint?: boolean }[];
  bypass?: string;
}

export interface AiAccountsClient {
  /** Undefined when no account has this id. */
  get(accountId: string): Promise<AiAccountState | undefined>;
  update(accountId: string, properties: Partial<AiAccountState>): Promise<void>;
  /** Regenerates one key. The new key in the answer is dropped unread: Tourniquet never holds it. */
  regenerateKey(accountId: string, keyName: 'Key1' | 'Key2'): Promise<void>;
}

export const ARM = 'https://management.azure.com';
/** Microsoft.CognitiveServices accounts API version (ARM reference, 2024-10-01). */
export const COGNITIVE_API_VERSION = '2024-10-01';

/**
 * Azure OpenAI / AI Foundry accounts (Microsoft.CognitiveServices/accounts) over the ARM REST API
 * with `fetch`: GET, PATCH `properties`, POST `regenerateKey`. The token is the function app's
 * (scope `https://management.azure.com/.default`); the role actions are in executors' permissions.
 */
export function aiAccountsClient(options: {
  token: () => Promise<string>;
  fetch?: typeof fetch;
}): AiAccountsClient {
  const send = options.fetch ?? fetch;
  const url = (id: string, action = '') => `${ARM}${id}${action}?api-version=${COGNITIVE_API_VERSION}`;
  const request = async (method: 'GET' | 'PATCH' | 'POST', target: string, body?: unknown) => {
    const response = await send(target, {
      method,
      headers: {
        authorization: `Bearer ${await options.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.ok) return response;
    throw await restFailure('Azure Resource Manager', response);
  };
  return {
    async get(accountId) {
      const response = await azureCall(() => request('GET', url(accountId)), { '404': () => undefined });
      if (!response) return undefined;
      const { properties = {} } = (await response.json()) as { properties?: AiAccountState };
      return {
        ...(properties.disableLocalAuth !== undefined
          ? { disableLocalAuth: properties.disableLocalAuth }
          : {}),
        ...(properties.publicNetworkAccess ? { publicNetworkAccess: properties.publicNetworkAccess } : {}),
        ...(properties.networkAcls ? { networkAcls: properties.networkAcls } : {}),
      };
    },
    async update(accountId, properties) {
      // 200, or 202 while the change is applied (a long-running PATCH): both accepted it.
      await azureCall(() => request('PATCH', url(accountId), { properties }));
    },
    async regenerateKey(accountId, keyName) {
      const response = await azureCall(() => request('POST', url(accountId, '/regenerateKey'), { keyName }));
      await response.body?.cancel();
    },
  };
}
