import { azureCall } from './errors.ts';
import { restFailure } from './rest-error.ts';

/** The service principal fields Tourniquet reads and changes. */
export interface ServicePrincipalState {
  id: string;
  appId?: string;
  displayName?: string;
  accountEnabled: boolean;
  servicePrincipalType?: string;
}

export interface GraphClient {
  /** Undefined when no service principal has this object id in the tenant. */
  getServicePrincipal(objectId: string): Promise<ServicePrincipalState | undefined>;
  setAccountEnabled(objectId: string, enabled: boolean): Promise<void>;
}

export const GRAPH = 'https://graph.microsoft.com/v1.0';

/**
 * Microsoft Graph over its REST API with `fetch`: GET and PATCH `/servicePrincipals/{id}`. The
 * token is the function app's (scope `https://graph.microsoft.com/.default`); the application
 * permission needed is Application.ReadWrite.All (docs/azure.md).
 */
export function graphClient(options: { token: () => Promise<string>; fetch?: typeof fetch }): GraphClient {
  const send = options.fetch ?? fetch;
  const request = async (method: 'GET' | 'PATCH', url: string, body?: unknown): Promise<Response> => {
    const response = await send(url, {
      method,
      headers: {
        authorization: `Bearer ${await options.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.ok) return response;
    throw await restFailure('Microsoft Graph', response);
  };
  return {
    async getServicePrincipal(objectId) {
      const url = `${GRAPH}/servicePrincipals/${encodeURIComponent(objectId)}?$select=id,appId,displayName,accountEnabled,servicePrincipalType`;
      const response = await azureCall(() => request('GET', url), { '404': () => undefined });
      if (!response) return undefined;
      const sp = (await response.json()) as ServicePrincipalState;
      return { ...sp, accountEnabled: sp.accountEnabled !== false };
    },
    async setAccountEnabled(objectId, enabled) {
      await azureCall(() =>
        request('PATCH', `${GRAPH}/servicePrincipals/${encodeURIComponent(objectId)}`, {
          accountEnabled: enabled,
        }),
      );
    },
  };
}
