import { type Statement, statements, strings } from './policy-document.ts';

/** How far a bucket policy or ACL change opens a bucket beyond its own account. */
export type Exposure = 'public' | 'cross-account' | 'none';
const RANK: Record<Exposure, number> = { none: 0, 'cross-account': 1, public: 2 };

/**
 * Condition keys that pin a wildcard principal to callers we can name (S3 User Guide, "The meaning
 * of public"). Stricter than S3 on one point: `aws:SourceIp` does not count, because an address
 * range says nothing about who the caller is.
 */
const PIN_TO_ACCOUNT = ['aws:principalaccount', 'aws:sourceaccount'];
const PIN_TO_ARN = ['aws:principalarn'];
const PINNING_OPERATOR =
  /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;
const PIN_TO_OWN_NETWORK_OR_ORG = [
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourcevpc',
  'aws:sourcevpce',
];

/**
 * The widest access a bucket policy grants: `public` for an Allow to `*` (or with `NotPrincipal`)
 * that no condition pins down, `cross-account` for an Allow to another account, canonical user or
 * federated identity, `none` otherwise.
 */
export function policyExposure(policy: unknown, owner: string, where: string): Exposure {
  return widest(statements(policy, where).map((s) => statementExposure(s, owner)));
}

function statementExposure(s: Statement, owner: string): Exposure {
  if (s.Effect !== 'Allow') return 'none';
  if (s.NotPrincipal !== undefined) return 'public';
  const { wildcard, foreign } = principals(s.Principal, owner);
  if (wildcard) {
    const pinned = pinnedBy(s.Condition, owner);
    return pinned === 'own' ? 'none' : pinned === 'foreign' ? 'cross-account' : 'public';
  }
  return foreign ? 'cross-account' : 'none';
}

function principals(principal: unknown, owner: string): { wildcard: boolean; foreign: boolean } {
  if (principal === '*') return { wildcard: true, foreign: false };
  if (typeof principal !== 'object' || principal === null) return { wildcard: false, foreign: false };
  const p = principal as Record<string, unknown>;
  const aws = strings(p.AWS);
  const others = [...strings(p.CanonicalUser), ...strings(p.Federated)];
  return {
    wildcard: aws.includes('*'),
    foreign: others.length > 0 || aws.some((a) => a !== '*' && accountOf(a) !== owner),
  };
}

/** `own` when a condition pins callers to the owner's account, org or network; `foreign` to others. */
function pinnedBy(condition: unknown, owner: string): 'own' | 'foreign' | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  let result: 'own' | 'foreign' | undefined;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    // Only equality pins a value: negated, IfExists and Null operators let other callers through.
    if (!PINNING_OPERATOR.test(operator) || typeof block !== 'object' || block === null) continue;
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const values = strings(raw);
      const k = key.toLowerCase();
      // An ARN pattern pins its account as long as the account itself is not a wildcard.
      const accounts = PIN_TO_ACCOUNT.includes(k)
        ? values
        : PIN_TO_ARN.includes(k)
          ? values.map(accountOf)
          : [];
      const pinned = accounts.length ? accounts : PIN_TO_OWN_NETWORK_OR_ORG.includes(k) ? values : [];
      if (!pinned.length || pinned.some((v) => v.includes('*') || v === '')) continue;
      if (accounts.some((a) => a !== owner)) result = 'foreign';
      else result ??= 'own';
    }
  }
  return result;
}

/** `111122223333` or `arn:aws:iam::111122223333:…` → the account id; anything else → itself. */
function accountOf(principal: string): string {
  return /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1] ?? principal;
}

const PUBLIC_CANNED = ['public-read', 'public-read-write', 'authenticated-read'];
const PUBLIC_GROUPS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/**
 * The widest access a `PutBucketAcl` grants: a public canned ACL or a grant to the AllUsers or
 * AuthenticatedUsers groups is `public`; a grant to another canonical user or an e-mail address is
 * `cross-account`.
 */
export function aclExposure(params: Record<string, unknown>): Exposure {
  if (strings(params['x-amz-acl']).some((acl) => PUBLIC_CANNED.includes(acl))) return 'public';
  const headerGrants = Object.entries(params)
    .filter(([k]) => k.toLowerCase().startsWith('x-amz-grant-'))
    .flatMap(([, v]) => strings(v));
  const policy = params.AccessControlPolicy as {
    Owner?: { ID?: unknown };
    AccessControlList?: { Grant?: unknown };
  };
  const listed = policy?.AccessControlList?.Grant;
  const grants = (Array.isArray(listed) ? listed : listed ? [listed] : []) as {
    Grantee?: Record<string, unknown>;
  }[];
  const exposures = [
    ...headerGrants.map(
      (g): Exposure =>
        PUBLIC_GROUPS.test(g) ? 'public' : /id=|emailAddress=/i.test(g) ? 'cross-account' : 'none',
    ),
    ...grants.map((g) => granteeExposure(g?.Grantee, policy?.Owner?.ID)),
  ];
  return widest(exposures);
}

function granteeExposure(grantee: Record<string, unknown> | undefined, ownerId: unknown): Exposure {
  if (!grantee) return 'none';
  if (typeof grantee.URI === 'string' && PUBLIC_GROUPS.test(grantee.URI)) return 'public';
  if (grantee.EmailAddress !== undefined) return 'cross-account';
  return grantee.ID !== undefined && grantee.ID !== ownerId ? 'cross-account' : 'none';
}

function widest(exposures: Exposure[]): Exposure {
  return exposures.reduce<Exposure>((w, e) => (RANK[e] > RANK[w] ? e : w), 'none');
}
