import type { SavedAzure } from './state.ts';

/**
 * Microsoft Graph `/servicePrincipals/{id}` (GET with `$select`, PATCH `accountEnabled`) as a
 * `fetch`, for functions-azure/graph-client.ts: 404 Request_ResourceNotFound for unknown ids.
 */
export function graphFetch(state: () => SavedAzure): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const id = decodeURIComponent(/\/servicePrincipals\/([^/?]+)/.exec(url.pathname)?.[1] ?? '');
    const sp = state().servicePrincipals.find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!sp)
      return Response.json(
        { error: { code: 'Request_ResourceNotFound', message: `Resource '${id}' does not exist` } },
        { status: 404 },
      );
    if ((init?.method ?? 'GET') === 'PATCH') {
      const body = JSON.parse(String(init?.body ?? '{}')) as { accountEnabled?: boolean };
      if (typeof body.accountEnabled === 'boolean') sp.accountEnabled = body.accountEnabled;
      return new Response(null, { status: 204 });
    }
    return Response.json(sp);
  }) as typeof fetch;
}
