import type { SavedAzure, SimAccount } from './state.ts';

/** Minimal `HttpHeaders` for the ARM SDKs' pipeline (get, has, set, iterate). */
export class Headers {
  private readonly map = new Map<string, string>();
  constructor(init: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(init)) this.map.set(k.toLowerCase(), v);
  }
  get(name: string) {
    return this.map.get(name.toLowerCase());
  }
  has(name: string) {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean) {
    this.map.set(name.toLowerCase(), String(value));
  }
  delete(name: string) {
    this.map.delete(name.toLowerCase());
  }
  toJSON() {
    return Object.fromEntries(this.map);
  }
  [Symbol.iterator]() {
    return this.map.entries();
  }
}

interface Reply {
  status: number;
  body?: unknown;
}

const ACCOUNT =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/([a-z0-9]+)(\/[a-zA-Z]+)?$/i;
const ASSIGNMENTS = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments(?:\/([^/]+))?$/i;

/**
 * Azure Resource Manager as the storage and authorization SDKs call it, answered from the
 * simulated estate through the SDKs' `httpClient` option (their own serialization runs): storage
 * account GET / PATCH (wire names `networkAcls`, `ipRules[].value`), revokeUserDelegationKeys,
 * regenerateKey; role assignments listed with `$filter=principalId eq '…'` at a subscription or a
 * scope, deleted (204 when already gone) and created (409 RoleAssignmentExists).
 */
export function armHttpClient(state: () => SavedAzure, now: () => number = Date.now) {
  const account = (name: string) => state().accounts.find((a) => a.name === name.toLowerCase());
  const route = (method: string, path: string, query: URLSearchParams, body: unknown): Reply => {
    const a = ACCOUNT.exec(path);
    if (a) {
      const target = account(a[1] ?? '');
      if (!target) return notFound('ResourceNotFound', `storage account ${a[1]}`);
      if (!a[2] && method === 'GET') return { status: 200, body: target };
      if (!a[2] && method === 'PATCH') return { status: 200, body: patch(target, body) };
      if (a[2]?.toLowerCase() === '/revokeuserdelegationkeys' && method === 'POST') {
        target.delegationKeysRevokedAt = now();
        return { status: 200 };
      }
      if (a[2]?.toLowerCase() === '/regeneratekey' && method === 'POST') {
        const keyName = (body as { keyName?: 'key1' | 'key2' })?.keyName ?? 'key1';
        target.keyGeneration[keyName]++;
        return {
          status: 200,
          body: {
            keys: ['key1', 'key2'].map((k) => ({
              keyName: k,
              permissions: 'FULL',
              value: `sim-${k}-${target.keyGeneration[k as 'key1']}`,
            })),
          },
        };
      }
    }
    const r = ASSIGNMENTS.exec(path);
    if (r) {
      const scope = r[1] ?? '';
      const all = state().assignments;
      if (!r[2] && method === 'GET') {
        const principal = /principalId eq '([^']+)'/.exec(query.get('$filter') ?? '')?.[1]?.toLowerCase();
        const under = all.filter(
          (x) =>
            x.scope.toLowerCase().startsWith(scope.toLowerCase()) ||
            scope.toLowerCase().startsWith(x.scope.toLowerCase()),
        );
        return {
          status: 200,
          body: {
            value: under
              .filter((x) => !principal || x.principalId.toLowerCase() === principal)
              .map(armAssignment),
          },
        };
      }
      const name = r[2] ?? '';
      const i = all.findIndex((x) => x.name === name && x.scope.toLowerCase() === scope.toLowerCase());
      if (method === 'DELETE') {
        if (i < 0) return { status: 204 };
        const [gone] = all.splice(i, 1);
        return { status: 200, body: gone ? armAssignment(gone) : {} };
      }
      if (method === 'PUT') {
        if (i >= 0)
          return {
            status: 409,
            body: { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } },
          };
        const p = (
          body as { properties?: { roleDefinitionId: string; principalId: string; principalType?: string } }
        )?.properties;
        const created = {
          id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
          name,
          scope,
          roleDefinitionId: p?.roleDefinitionId ?? '',
          principalId: p?.principalId ?? '',
          principalType: p?.principalType ?? 'ServicePrincipal',
        };
        all.push(created);
        return { status: 201, body: armAssignment(created) };
      }
    }
    return {
      status: 501,
      body: { error: { code: 'NotSimulated', message: `${method} ${path} is not simulated` } },
    };
  };
  return {
    async sendRequest(request: { method: string; url: string; body?: unknown; headers: unknown }) {
      const url = new URL(request.url);
      const body = typeof request.body === 'string' && request.body ? JSON.parse(request.body) : undefined;
      const reply = route(request.method, decodeURIComponent(url.pathname), url.searchParams, body);
      return {
        request,
        status: reply.status,
        headers: new Headers({ 'content-type': 'application/json', 'x-ms-request-id': 'simulated' }),
        bodyAsText: reply.body === undefined ? '' : JSON.stringify(reply.body),
      };
    },
  };
}

function notFound(code: string, what: string): Reply {
  return { status: 404, body: { error: { code, message: `${what} was not found` } } };
}

function patch(target: SimAccount, body: unknown): SimAccount {
  const p = (body as { properties?: Partial<SimAccount['properties']> })?.properties ?? {};
  Object.assign(target.properties, p);
  return target;
}

function armAssignment(a: {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
}) {
  return {
    id: a.id,
    name: a.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
    },
  };
}
