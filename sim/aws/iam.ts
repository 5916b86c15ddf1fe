import { NoSuchEntityException } from '@aws-sdk/client-iam';
import type { Handlers } from './s3.ts';

const noSuchEntity = (what: string) =>
  new NoSuchEntityException({ message: `The ${what} cannot be found.`, $metadata: { httpStatusCode: 404 } });

export interface SimPrincipal {
  inline: Map<string, string>;
  keys: { id: string; status: 'Active' | 'Inactive' }[];
  /** Bedrock API keys: service-specific credentials for `bedrock.amazonaws.com`. */
  bedrockKeys?: { id: string; status: 'Active' | 'Inactive' }[];
}

type SavedPrincipal = {
  inline: [string, string][];
  keys: SimPrincipal['keys'];
  bedrockKeys?: SimPrincipal['keys'];
};

export interface SavedIam {
  roles: [string, SavedPrincipal][];
  users: [string, SavedPrincipal][];
}

export type SimIam = ReturnType<typeof simulatedIam>;

/**
 * IAM in memory: roles and users with inline policies (returned URL-encoded, as the GetRolePolicy
 * API Reference says IAM does) and access keys (ListAccessKeys pages of 1, to exercise the
 * paginator). NoSuchEntity (404) for anything missing, as IAM answers.
 */
export function simulatedIam() {
  const roles = new Map<string, SimPrincipal>();
  const users = new Map<string, SimPrincipal>();
  const find = (map: Map<string, SimPrincipal>, name: string | undefined, what: string) => {
    const p = map.get(name ?? '');
    if (!p) throw noSuchEntity(`${what} with name ${name}`);
    return p;
  };
  type Input = { RoleName?: string; UserName?: string; PolicyName?: string; PolicyDocument?: string };
  const inline = (map: Map<string, SimPrincipal>, what: string) => ({
    get: async (input: Input) => {
      const doc = find(map, input.RoleName ?? input.UserName, what).inline.get(input.PolicyName ?? '');
      if (doc === undefined) throw noSuchEntity(`${what} policy with name ${input.PolicyName}`);
      return { PolicyName: input.PolicyName, PolicyDocument: encodeURIComponent(doc) };
    },
    put: async (input: Input) => {
      find(map, input.RoleName ?? input.UserName, what).inline.set(
        input.PolicyName ?? '',
        input.PolicyDocument ?? '',
      );
      return {};
    },
    remove: async (input: Input) => {
      const p = find(map, input.RoleName ?? input.UserName, what);
      if (!p.inline.delete(input.PolicyName ?? '')) throw noSuchEntity(`${what} policy ${input.PolicyName}`);
      return {};
    },
  });
  const role = inline(roles, 'role');
  const user = inline(users, 'user');
  const handlers: Handlers = {
    GetRolePolicyCommand: role.get,
    PutRolePolicyCommand: role.put,
    DeleteRolePolicyCommand: role.remove,
    GetUserPolicyCommand: user.get,
    PutUserPolicyCommand: user.put,
    DeleteUserPolicyCommand: user.remove,
    // The session-revocation fallback for a full inline quota; the sim has no managed policies, so
    // release's clean-up after an inline policy already gone finds none.
    async DetachRolePolicyCommand({ PolicyArn }: { PolicyArn?: string }) {
      throw noSuchEntity(`Policy ${PolicyArn}`);
    },
    async DeletePolicyCommand({ PolicyArn }: { PolicyArn?: string }) {
      throw noSuchEntity(`Policy ${PolicyArn}`);
    },
    async ListAccessKeysCommand({ UserName, Marker }) {
      const keys = find(users, UserName, 'user').keys;
      const i = Marker ? Number(Marker) : 0;
      const k = keys[i];
      return {
        AccessKeyMetadata: k ? [{ UserName, AccessKeyId: k.id, Status: k.status }] : [],
        IsTruncated: i + 1 < keys.length,
        ...(i + 1 < keys.length ? { Marker: String(i + 1) } : {}),
      };
    },
    // Bedrock API keys, one per page (ListServiceSpecificCredentials pages with Marker/IsTruncated).
    async ListServiceSpecificCredentialsCommand({ UserName, ServiceName, Marker }) {
      const keys =
        ServiceName === 'bedrock.amazonaws.com' ? (find(users, UserName, 'user').bedrockKeys ?? []) : [];
      const i = Marker ? Number(Marker) : 0;
      const k = keys[i];
      return {
        ServiceSpecificCredentials: k
          ? [{ UserName, ServiceName, ServiceSpecificCredentialId: k.id, Status: k.status }]
          : [],
        IsTruncated: i + 1 < keys.length,
        ...(i + 1 < keys.length ? { Marker: String(i + 1) } : {}),
      };
    },
    async UpdateServiceSpecificCredentialCommand({ UserName, ServiceSpecificCredentialId, Status }) {
      const key = (find(users, UserName, 'user').bedrockKeys ?? []).find(
        (k) => k.id === ServiceSpecificCredentialId,
      );
      if (!key) throw noSuchEntity(`Service-specific credential with id ${ServiceSpecificCredentialId}`);
      key.status = Status === 'Active' ? 'Active' : 'Inactive';
      return {};
    },
    async UpdateAccessKeyCommand({ UserName, AccessKeyId, Status }) {
      const key = find(users, UserName, 'user').keys.find((k) => k.id === AccessKeyId);
      if (!key) throw noSuchEntity(`Access Key with id ${AccessKeyId}`);
      key.status = Status === 'Active' ? 'Active' : 'Inactive';
      return {};
    },
  };
  const save = (map: Map<string, SimPrincipal>) =>
    [...map].map(([name, p]): [string, SavedPrincipal] => [
      name,
      { inline: [...p.inline], keys: p.keys, ...(p.bedrockKeys ? { bedrockKeys: p.bedrockKeys } : {}) },
    ]);
  const load = (map: Map<string, SimPrincipal>, saved: SavedIam['roles']) => {
    map.clear();
    for (const [name, p] of saved)
      map.set(name, {
        inline: new Map(p.inline),
        keys: p.keys,
        ...(p.bedrockKeys ? { bedrockKeys: p.bedrockKeys } : {}),
      });
  };
  return {
    roles,
    users,
    handlers,
    role: (name: string) => roles.set(name, { inline: new Map(), keys: [] }),
    user: (name: string, keys: SimPrincipal['keys'] = [], bedrockKeys: SimPrincipal['keys'] = []) =>
      users.set(name, { inline: new Map(), keys, bedrockKeys }),
    snapshot: (): SavedIam => ({ roles: save(roles), users: save(users) }),
    restore(saved: SavedIam) {
      load(roles, saved.roles);
      load(users, saved.users);
    },
  };
}
