import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { StorageManagementClient } from '@azure/arm-storage';
import { aiAccountsClient } from '../../../functions-azure/ai-accounts-client.ts';
import type { AzureClients } from '../../../functions-azure/clients.ts';
import { RETRY_OPTIONS } from '../../../functions-azure/clients.ts';
import { graphClient } from '../../../functions-azure/graph-client.ts';
import { Headers } from '../../../sim/azure/arm.ts';

/** One HTTP request as the service received it. */
export interface Recorded {
  method: string;
  /** URL without the api-version query parameter (asserted separately). */
  url: string;
  apiVersion: string | null;
  body: unknown;
  authorization: string | null;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Route = { method: string; url: RegExp; replies: Reply[] };

/**
 * A fake Azure endpoint for ARM (through the SDKs' `httpClient` option) and Graph (through
 * `fetch`): requests are recorded as received, replies are scripted per route and consumed in
 * order (the last one repeats). An unscripted request is a test failure.
 */
export function fakeAzure() {
  const routes: Route[] = [];
  const requests: Recorded[] = [];
  const reply = (method: string, rawUrl: string, body: unknown, authorization: string | null): Reply => {
    const apiVersion = new URL(rawUrl).searchParams.get('api-version');
    // Cut api-version out of the raw URL (re-serializing the query would re-encode the rest).
    const rest = rawUrl.replace(/([?&])api-version=[^&]*(&?)/, (_m, sep: string, more: string) =>
      more ? sep : '',
    );
    const clean = decodeURIComponent(rest.replace(/[?&]$/, ''));
    requests.push({ method, url: clean, apiVersion, body, authorization });
    const route = routes.find((r) => r.method === method && r.url.test(clean));
    if (!route)
      return { status: 599, body: { error: { code: 'Unscripted', message: `${method} ${clean}` } } };
    return route.replies.length > 1 ? (route.replies.shift() as Reply) : (route.replies[0] as Reply);
  };
  const parse = (text: unknown) => (typeof text === 'string' && text ? JSON.parse(text) : undefined);

  const httpClient = {
    async sendRequest(request: {
      method: string;
      url: string;
      body?: unknown;
      headers: { get(n: string): string | undefined };
    }) {
      const r = reply(
        request.method,
        request.url,
        parse(request.body),
        request.headers.get('authorization') ?? null,
      );
      return {
        request,
        status: r.status,
        headers: new Headers({ 'content-type': 'application/json', ...(r.headers ?? {}) }),
        bodyAsText: r.body === undefined ? '' : JSON.stringify(r.body),
      };
    },
  };
  const fetchFake = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new globalThis.Headers(init?.headers);
    const r = reply(init?.method ?? 'GET', String(input), parse(init?.body), headers.get('authorization'));
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: r.headers,
    });
  };

  return {
    requests,
    /** Scripts the replies for requests whose method and URL (without api-version) match. */
    on(method: string, url: RegExp, ...replies: Reply[]) {
      routes.push({ method, url, replies });
    },
    mutating: () => requests.filter((r) => r.method !== 'GET'),
    /** The fake as a `fetch`, for code that calls ARM or Graph over REST itself. */
    fetch: fetchFake as typeof fetch,
    clients(blob?: AzureClients['blob']): AzureClients {
      const credential = {
        getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
      const options = { httpClient: httpClient as never, retryOptions: RETRY_OPTIONS };
      return {
        authorization: (sub) => new AuthorizationManagementClient(credential, sub, options),
        storage: (sub) => new StorageManagementClient(credential, sub, options),
        blob:
          blob ??
          (() => {
            throw new Error('no blob service in this test');
          }),
        graph: graphClient({ token: async () => 'graph-token', fetch: fetchFake as typeof fetch }),
        ai: aiAccountsClient({ token: async () => 'arm-token', fetch: fetchFake as typeof fetch }),
      };
    },
  };
}
