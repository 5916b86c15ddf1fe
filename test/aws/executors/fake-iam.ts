import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';

const noSuchEntity = (what: string) =>
  new NoSuchEntityException({ message: `The ${what} cannot be found.`, $metadata: { httpStatusCode: 404 } });

interface Principal {
  inline: Map<string, string>;
  keys: { id: string; status: 'Active' | 'Inactive' }[];
}

/**
 * IAM in memory: roles and users with inline policies (returned URL-encoded, as the GetRolePolicy
 * API Reference says IAM does) and access keys (ListAccessKeys pages of 1, to exercise the paginator).
 */
export function fakeIam() {
  const mock = mockClient(IAMClient);
  const roles = new Map<string, Principal>();
  const users = new Map<string, Principal>();
  const find = (map: Map<string, Principal>, name: string | undefined, what: string) => {
    const p = map.get(name ?? '');
    if (!p) throw noSuchEntity(`${what} with name ${name}`);
    return p;
  };
  const handlers = (map: Map<string, Principal>, what: string) => ({
    get: async (input: { RoleName?: string; UserName?: string; PolicyName?: string }) => {
      const doc = find(map, input.RoleName ?? input.UserName, what).inline.get(input.PolicyName ?? '');
      if (doc === undefined) throw noSuchEntity(`${what} policy with name ${input.PolicyName}`);
      return { PolicyName: input.PolicyName, PolicyDocument: encodeURIComponent(doc) } as never;
    },
    put: async (input: {
      RoleName?: string;
      UserName?: string;
      PolicyName?: string;
      PolicyDocument?: string;
    }) => {
      find(map, input.RoleName ?? input.UserName, what).inline.set(
        input.PolicyName ?? '',
        input.PolicyDocument ?? '',
      );
      return {};
    },
    remove: async (input: { RoleName?: string; UserName?: string; PolicyName?: string }) => {
      const p = find(map, input.RoleName ?? input.UserName, what);
      if (!p.inline.delete(input.PolicyName ?? '')) throw noSuchEntity(`${what} policy ${input.PolicyName}`);
      return {};
    },
  });
  const role = handlers(roles, 'role');
  const user = handlers(users, 'user');
  mock.on(GetRolePolicyCommand).callsFake(role.get);
  mock.on(PutRolePolicyCommand).callsFake(role.put);
  mock.on(DeleteRolePolicyCommand).callsFake(role.remove);
  mock.on(GetUserPolicyCommand).callsFake(user.get);
  mock.on(PutUserPolicyCommand).callsFake(user.put);
  mock.on(DeleteUserPolicyCommand).callsFake(user.remove);
  mock.on(ListAccessKeysCommand).callsFake(async ({ UserName, Marker }) => {
    const keys = find(users, UserName, 'user').keys;
    const i = Marker ? Number(Marker) : 0;
    const k = keys[i];
    return {
      AccessKeyMetadata: k ? [{ UserName, AccessKeyId: k.id, Status: k.status }] : [],
      IsTruncated: i + 1 < keys.length,
      ...(i + 1 < keys.length ? { Marker: String(i + 1) } : {}),
    };
  });
  mock.on(UpdateAccessKeyCommand).callsFake(async ({ UserName, AccessKeyId, Status }) => {
    const key = find(users, UserName, 'user').keys.find((k) => k.id === AccessKeyId);
    if (!key) throw noSuchEntity(`Access Key with id ${AccessKeyId}`);
    key.status = Status === 'Active' ? 'Active' : 'Inactive';
    return {};
  });
  return {
    mock,
    roles,
    users,
    role: (name: string) => roles.set(name, { inline: new Map(), keys: [] }),
    user: (name: string, keys: Principal['keys'] = []) => users.set(name, { inline: new Map(), keys }),
  };
}
