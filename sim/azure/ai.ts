import type { SavedAzure } from './state.ts';

const ACCOUNT =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+)(\/regenerateKey)?$/i;

/**
 * Azure OpenAI / AI Foundry accounts through ARM as a `fetch`, for functions-azure/ai-accounts-client.ts:
 * GET, PATCH `properties` (merged, 200), POST `regenerateKey` (the key's generation counts up; the
 * answer carries fake keys, as ARM's carries the new ones); 404 ResourceNotFound for unknown ids.
 */
export function aiFetch(state: () => SavedAzure): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const m = ACCOUNT.exec(decodeURIComponent(url.pathname));
    const account = state().aiAccounts?.find((a) => a.id.toLowerCase() === m?.[1]?.toLowerCase());
    if (!m || !account)
      return Response.json(
        { error: { code: 'ResourceNotFound', message: `The Resource '${url.pathname}' was not found.` } },
        { status: 404 },
      );
    const method = init?.method ?? 'GET';
    const body = JSON.parse(String(init?.body ?? '{}')) as {
      properties?: SimAiAccountPatch;
      keyName?: 'Key1' | 'Key2';
    };
    if (m[2] && method === 'POST') {
      const key = body.keyName === 'Key2' ? 'Key2' : 'Key1';
      account.keyGeneration[key]++;
      return Response.json({
        key1: `sim-key1-${account.keyGeneration.Key1}`,
        key2: `sim-key2-${account.keyGeneration.Key2}`,
      });
    }
    if (method === 'PATCH') account.properties = { ...account.properties, ...(body.properties ?? {}) };
    return Response.json({
      id: account.id,
      name: account.name,
      kind: 'OpenAI',
      properties: account.properties,
    });
  }) as typeof fetch;
}

type SimAiAccountPatch = NonNullable<SavedAzure['aiAccounts']>[number]['properties'];
