import type { PostureContext } from '../../../../core/posture/check.ts';
import { type IdentityAnalysis, type IdentityRow, staleness } from '../../../../core/posture/identities.ts';
import type { Read } from '../../../../core/posture/snapshot.ts';
import { guardedBy } from '../../../../core/principal-match.ts';
import type { PolicyStatement } from '../../policies.ts';
import { awsRead } from '../operations.ts';
import { awsScope, valueOrAbsent } from '../subjects.ts';
import { principalsWithPolicies } from './authorization-details.ts';
import { bucketObjectAccess, type Verdict } from './policy-access.ts';

const DETAILS = 'iam:GetAccountAuthorizationDetails';
const LAST = 'iam:GetServiceLastAccessedDetails';
const FILTER = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];
const READ = 's3:GetObject';
const WRITE = 's3:PutObject';

interface Grantee {
  arn: string;
  type: string;
  name: string;
  createdAt?: string;
  roleLastUsed?: string;
  read: Verdict;
  write: Verdict;
  via: string[];
  serviceLinked: boolean;
}

/** The bucket policy's statements, or none when the bucket has no policy. */
function bucketStatements(ctx: PostureContext, bucket: string): PolicyStatement[] {
  const out = valueOrAbsent<{ Policy?: string }>(ctx.view, 's3:GetBucketPolicy', bucket, [
    'NoSuchBucketPolicy',
  ]);
  if (out === 'absent' || !out.Policy) return [];
  const s = (JSON.parse(out.Policy) as { Statement?: PolicyStatement | PolicyStatement[] }).Statement;
  return Array.isArray(s) ? s : s ? [s] : [];
}

const granted = (v: Verdict) => v === 'allowed' || v === 'conditional';

/** The same account's roles and users whose policies, or the bucket policy, let them read or write. */
function grantees(ctx: PostureContext, bucket: string): Grantee[] {
  const { account } = awsScope(ctx);
  const policy = bucketStatements(ctx, bucket);
  const out: Grantee[] = [];
  for (const p of principalsWithPolicies(ctx.view, account)) {
    const own = p.statements.map((s) => s.statement);
    // Statements of the bucket policy that name this principal (by ARN or the account root).
    const named = policy.filter((s) =>
      principalsOf(s).some((x) => x === p.arn || x === `arn:aws:iam::${account}:root` || x === '*'),
    );
    const judge = (action: string) => {
      const identity = bucketObjectAccess(own, bucket, action);
      const resource = bucketObjectAccess(named, bucket, action);
      if (identity.verdict === 'denied' || resource.verdict === 'denied')
        return { verdict: 'denied' as Verdict, via: [] };
      const verdict: Verdict = [identity.verdict, resource.verdict].includes('allowed')
        ? 'allowed'
        : [identity.verdict, resource.verdict].includes('conditional')
          ? 'conditional'
          : 'implicit';
      const via = [
        ...identity.statements.map((i) => p.statements[i]?.policy ?? 'identity policy'),
        ...(granted(resource.verdict) ? ['bucket policy'] : []),
      ];
      return { verdict, via };
    };
    const read = judge(READ);
    const write = judge(WRITE);
    if (!granted(read.verdict) && !granted(write.verdict)) continue;
    out.push({
      arn: p.arn,
      type: p.type,
      name: p.name,
      ...(p.createdAt ? { createdAt: p.createdAt } : {}),
      ...(p.roleLastUsed ? { roleLastUsed: p.roleLastUsed } : {}),
      read: read.verdict,
      write: write.verdict,
      via: [...new Set([...read.via, ...write.via])],
      serviceLinked: p.path.startsWith('/aws-service-role/'),
    });
  }
  // Other accounts the bucket policy lets in: their use cannot be read from here.
  for (const s of policy.filter((x) => x.Effect === 'Allow')) {
    for (const arn of principalsOf(s).filter(
      (x) => /^arn:aws:iam::\d{12}:/.test(x) && !x.includes(`::${account}:`),
    )) {
      const read = bucketObjectAccess([s], bucket, READ).verdict;
      const write = bucketObjectAccess([s], bucket, WRITE).verdict;
      if (granted(read) || granted(write))
        out.push({
          arn,
          type: 'foreign-account',
          name: arn,
          read,
          write,
          via: ['bucket policy'],
          serviceLinked: false,
        });
    }
  }
  return out;
}

function principalsOf(s: PolicyStatement): string[] {
  const p = s.Principal;
  if (p === '*') return ['*'];
  const aws = p && typeof p === 'object' ? (p as Record<string, string | string[]>).AWS : undefined;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

/** When IAM last saw the principal use S3 (service last-accessed), or the role's last use at all. */
function lastS3Use(ctx: PostureContext, g: Grantee): { at?: string; from: string } {
  const a = ctx.view.answer(LAST, g.arn);
  if (a.kind === 'ok') {
    const services = ctx.view.items<{ ServiceNamespace?: string; LastAuthenticated?: string }>(
      LAST,
      g.arn,
      'ServicesLastAccessed',
    );
    const s3 = services.find((s) => s.ServiceNamespace === 's3');
    return s3?.LastAuthenticated
      ? { at: s3.LastAuthenticated, from: 'IAM last accessed (S3)' }
      : { from: 'IAM last accessed (S3): never' };
  }
  if (g.roleLastUsed) return { at: g.roleLastUsed, from: 'RoleLastUsed (any service)' };
  return { from: 'none' };
}

/** Standing access to the AWS asset buckets and when it was last used. */
export const awsIdentityAnalysis: IdentityAnalysis = {
  cloud: 'aws',
  operations: [DETAILS, 's3:GetBucketPolicy', LAST],
  reads(ctx) {
    const { account } = awsScope(ctx);
    const buckets = (ctx.config.aws?.assets ?? []).map((a) => a.bucket);
    const reads: Read[] = [
      awsRead(DETAILS, account, { Filter: FILTER }),
      ...buckets.map((b) => awsRead('s3:GetBucketPolicy', b, { Bucket: b })),
    ];
    if (
      ctx.view.answer(DETAILS, account).kind !== 'ok' ||
      buckets.some((b) => !ctx.view.has('s3:GetBucketPolicy', b))
    )
      return reads;
    const arns = new Set(
      buckets.flatMap((b) =>
        grantees(ctx, b)
          .filter((g) => g.type !== 'foreign-account' && !g.serviceLinked)
          .map((g) => g.arn),
      ),
    );
    for (const arn of arns) reads.push(awsRead(LAST, arn, { Arn: arn }));
    return reads;
  },
  analyse(ctx, now) {
    const guarded = [...(ctx.config.aws?.responders ?? []), ...(ctx.config.aws?.protectedPrincipals ?? [])];
    const rows: IdentityRow[] = [];
    for (const asset of ctx.config.aws?.assets ?? []) {
      for (const g of grantees(ctx, asset.bucket)) {
        const access =
          granted(g.read) && granted(g.write) ? 'read-write' : granted(g.read) ? 'read' : 'write';
        const last = lastS3Use(ctx, g);
        const ref = {
          id: g.arn.replace(/:(role|user)\/.*\//, ':$1/'),
          kind: 'unknown' as const,
          account: '',
          aliases: [],
          certain: true,
        };
        const verdict =
          g.type === 'foreign-account'
            ? { status: 'unknown' as const, detail: 'another account: its use cannot be read from here' }
            : g.serviceLinked
              ? { status: 'guarded' as const, detail: 'service-linked role: AWS manages its policies' }
              : guardedBy(guarded, ref)
                ? {
                    status: 'guarded' as const,
                    detail: 'responder or break-glass: never proposed for removal',
                  }
                : staleness(last.at, g.createdAt, ctx.config.posture.staleAfterDays, now);
        rows.push({
          cloud: 'aws',
          asset: asset.bucket,
          principal: { id: g.arn, type: g.type, name: g.name },
          access,
          via: g.via,
          conditional: g.read === 'conditional' || g.write === 'conditional',
          ...(last.at ? { lastUsed: last.at } : {}),
          lastUsedFrom: last.from,
          status: verdict.status,
          detail: verdict.detail,
        });
      }
    }
    return rows;
  },
};
