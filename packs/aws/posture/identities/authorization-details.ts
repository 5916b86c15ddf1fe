import type { SnapshotView } from '../../../../core/posture/snapshot.ts';
import type { PolicyStatement } from '../../policies.ts';
import { statementsOf } from './policy-access.ts';

interface InlinePolicy {
  PolicyName?: string;
  PolicyDocument?: string;
}
interface Attached {
  PolicyName?: string;
  PolicyArn?: string;
}
interface Principal {
  Arn?: string;
  Path?: string;
  CreateDate?: string;
  UserName?: string;
  RoleName?: string;
  UserPolicyList?: InlinePolicy[];
  RolePolicyList?: InlinePolicy[];
  GroupList?: string[];
  AttachedManagedPolicies?: Attached[];
  RoleLastUsed?: { LastUsedDate?: string; Region?: string };
}
interface Group {
  GroupName?: string;
  GroupPolicyList?: InlinePolicy[];
  AttachedManagedPolicies?: Attached[];
}
interface ManagedPolicy {
  Arn?: string;
  PolicyName?: string;
  PolicyVersionList?: { Document?: string; IsDefaultVersion?: boolean }[];
}

/** An IAM principal with every identity-policy statement that applies to it, each named by its policy. */
export interface PrincipalPolicies {
  arn: string;
  type: 'role' | 'user';
  name: string;
  path: string;
  createdAt?: string;
  roleLastUsed?: string;
  statements: { policy: string; statement: PolicyStatement }[];
}

/**
 * The users and roles of the account with their inline, group and attached managed policies, from
 * the pages of `GetAccountAuthorizationDetails` (IAM API Reference; documents URL-encoded).
 */
export function principalsWithPolicies(view: SnapshotView, account: string): PrincipalPolicies[] {
  const op = 'iam:GetAccountAuthorizationDetails';
  const users = view.items<Principal>(op, account, 'UserDetailList');
  const roles = view.items<Principal>(op, account, 'RoleDetailList');
  const groups = new Map(
    view.items<Group>(op, account, 'GroupDetailList').map((g) => [g.GroupName ?? '', g]),
  );
  const managed = new Map(view.items<ManagedPolicy>(op, account, 'Policies').map((p) => [p.Arn ?? '', p]));
  const inline = (kind: string, policies: InlinePolicy[] | undefined) =>
    (policies ?? []).flatMap((p) =>
      statementsOf(p.PolicyDocument).map((statement) => ({ policy: `${kind}:${p.PolicyName}`, statement })),
    );
  const attached = (list: Attached[] | undefined, owner = '') =>
    (list ?? []).flatMap((a) => {
      const version = managed.get(a.PolicyArn ?? '')?.PolicyVersionList?.find((v) => v.IsDefaultVersion);
      return statementsOf(version?.Document ?? '{}').map((statement) => ({
        policy: `${owner}managed:${a.PolicyName}`,
        statement,
      }));
    });
  const of = (p: Principal, type: 'role' | 'user'): PrincipalPolicies => ({
    arn: p.Arn ?? '',
    type,
    name: (type === 'role' ? p.RoleName : p.UserName) ?? '',
    path: p.Path ?? '/',
    ...(p.CreateDate ? { createdAt: p.CreateDate } : {}),
    ...(p.RoleLastUsed?.LastUsedDate ? { roleLastUsed: p.RoleLastUsed.LastUsedDate } : {}),
    statements: [
      ...inline('inline', type === 'role' ? p.RolePolicyList : p.UserPolicyList),
      ...attached(p.AttachedManagedPolicies),
      ...(p.GroupList ?? []).flatMap((g) => {
        const group = groups.get(g);
        return [
          ...inline(`group ${g}`, group?.GroupPolicyList),
          ...attached(group?.AttachedManagedPolicies, `group ${g}:`),
        ];
      }),
    ],
  });
  return [...roles.map((r) => of(r, 'role')), ...users.map((u) => of(u, 'user'))].filter((p) => p.arn);
}
