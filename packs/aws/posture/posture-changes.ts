import type { Action } from '../../../core/actions.ts';
import type { Config } from '../../../core/config.ts';
import { parseIamArn } from '../../../core/names.ts';
import { CHANGE_TYPES, type PostureChange } from '../../../core/posture/change.ts';
import { ChangeRefusedError } from '../../../core/posture/change-errors.ts';
import type { IdentityRow } from '../../../core/posture/identities.ts';
import { guardedBy } from '../../../core/principal-match.ts';
import type { DenyStandingAccess, GrantAccess } from '../actions.ts';
import { canonicalIamArn } from '../names.ts';
import type { PolicyDocument } from '../policies.ts';
import {
  grantPolicyName,
  jitGrantPolicy,
  standingAccessDeny,
  standingAccessPolicyName,
  windowedDeny,
} from './access-policies.ts';

const principalRef = (type: 'role' | 'user', account: string, name: string) => ({
  id: canonicalIamArn(account, type, name),
  kind: type,
  account,
  name,
  aliases: [],
  certain: true,
});

/**
 * The fix for stale standing access on AWS: one `deny-standing-access` per stale role or user and
 * asset bucket. Responders, break-glass, service-linked roles and other accounts' principals are
 * never in it; more principals than `limits.maxPrincipals` and nothing is planned (say which).
 */
export function awsStandingAccessChange(
  rows: readonly IdentityRow[],
  config: Config,
  account: string,
  now: Date,
): { change?: PostureChange; skipped: string[] } {
  const guarded = [...(config.aws?.responders ?? []), ...(config.aws?.protectedPrincipals ?? [])];
  const skipped: string[] = [];
  const actions: Action[] = [];
  for (const row of rows.filter((r) => r.cloud === 'aws' && r.status === 'stale')) {
    const arn = parseIamArn(row.principal.id);
    if (!arn || arn.type === 'root' || arn.account !== account) {
      skipped.push(`${row.principal.id}: not a role or user of account ${account}`);
      continue;
    }
    if (
      arn.path.startsWith('/aws-service-role/') ||
      guardedBy(guarded, principalRef(arn.type, arn.account, arn.name))
    ) {
      skipped.push(`${row.principal.id}: guarded`);
      continue;
    }
    const policyName = standingAccessPolicyName(row.asset);
    const action: DenyStandingAccess = {
      id: `a${actions.length + 1}`,
      kind: 'deny-standing-access',
      category: 'revoke',
      target: canonicalIamArn(account, arn.type, arn.name),
      account,
      params: {
        principalType: arn.type,
        name: arn.name,
        policyName,
        policyDocument: standingAccessDeny(row.asset),
      },
      inverse: `Delete${arn.type === 'role' ? 'Role' : 'User'}Policy ${arn.name} ${policyName} (tourniquet release)`,
    };
    actions.push(action);
  }
  if (!actions.length) return { skipped };
  const principals = new Set(actions.map((a) => a.target)).size;
  if (principals > config.limits.maxPrincipals) {
    skipped.push(
      `${principals} stale principals > limits.maxPrincipals ${config.limits.maxPrincipals}: nothing planned; raise the limit for this run or fix them by hand`,
    );
    return { skipped };
  }
  const buckets = [
    ...new Set(
      actions.map((a) =>
        (a.params as { policyName: string }).policyName.replace(/^TourniquetStandingAccess-/, ''),
      ),
    ),
  ];
  return {
    skipped,
    change: {
      type: CHANGE_TYPES.standingAccess,
      cloud: 'aws',
      account,
      actions,
      principal: null,
      resources: buckets.map((b) => ({ kind: 'bucket', id: `arn:aws:s3:::${b}` })),
      reason: `standing access unused for over ${config.posture.staleAfterDays} days removed: ${[...new Set(actions.map((a) => a.target))].join(', ')}`,
      now,
    },
  };
}

export interface AwsGrantRequest {
  config: Config;
  principal: string;
  bucket: string;
  prefix?: string;
  access: 'read' | 'write';
  startsAt: Date;
  expiresAt: Date;
  grantId: string;
  reason: string;
  /** The principal's standing-access Deny on this bucket, when it has one (read before planning). */
  standingDeny: PolicyDocument | null;
}

/**
 * A just-in-time grant on AWS: the time-bound Allow, plus — when a posture fix denied this principal
 * the bucket — that Deny opened until the expiry. Refused for responders and break-glass (their
 * access is not Tourniquet's to hand out), principals outside the accounts, buckets that are not
 * assets, and durations over `posture.maxGrantHours`.
 */
export function awsGrantChange(request: AwsGrantRequest): PostureChange {
  const { config, bucket, grantId } = request;
  const arn = parseIamArn(request.principal);
  if (!arn || arn.type === 'root')
    throw new ChangeRefusedError(`--principal must be an IAM role or user ARN, not ${request.principal}`);
  if (!config.aws?.accounts.includes(arn.account))
    throw new ChangeRefusedError(`account ${arn.account} is not in aws.accounts`);
  if (!config.aws.assets.some((a) => a.bucket === bucket))
    throw new ChangeRefusedError(
      `--asset ${bucket} is not one of aws.assets (${config.aws.assets.map((a) => a.bucket).join(', ')})`,
    );
  const ref = principalRef(arn.type, arn.account, arn.name);
  if (guardedBy([...config.aws.responders, ...config.aws.protectedPrincipals], ref))
    throw new ChangeRefusedError(
      `${request.principal} is a responder or break-glass principal: its access is not granted by Tourniquet`,
    );
  const hours = (request.expiresAt.getTime() - request.startsAt.getTime()) / 3_600_000;
  if (hours <= 0 || hours > config.posture.maxGrantHours)
    throw new ChangeRefusedError(
      `a grant lasts at most posture.maxGrantHours = ${config.posture.maxGrantHours} h (asked: ${hours.toFixed(2)} h)`,
    );
  const expiresAt = request.expiresAt.toISOString();
  const base = { category: 'grant' as const, target: ref.id, account: arn.account };
  const del = `Delete${arn.type === 'role' ? 'Role' : 'User'}Policy`;
  const grantName = grantPolicyName(grantId);
  const actions: GrantAccess[] = [
    {
      ...base,
      id: 'a1',
      kind: 'grant-access',
      params: {
        principalType: arn.type,
        name: arn.name,
        policyName: grantName,
        policyDocument: jitGrantPolicy({
          bucket,
          ...(request.prefix ? { prefix: request.prefix } : {}),
          access: request.access,
          expiresAt,
        }),
        expiresAt,
      },
      inverse: `${del} ${arn.name} ${grantName} (at expiry by the grant timer, or tourniquet release)`,
    },
  ];
  if (request.standingDeny) {
    const denyName = standingAccessPolicyName(bucket);
    actions.push({
      ...base,
      id: 'a2',
      kind: 'grant-access',
      params: {
        principalType: arn.type,
        name: arn.name,
        policyName: denyName,
        policyDocument: windowedDeny(request.standingDeny, expiresAt),
        expiresAt,
      },
      inverse: `Put${arn.type === 'role' ? 'Role' : 'User'}Policy ${arn.name} ${denyName} back to the unconditional Deny`,
    });
  }
  return {
    type: CHANGE_TYPES.grant,
    cloud: 'aws',
    account: arn.account,
    incidentId: grantId,
    actions,
    principal: ref,
    resources: [{ kind: 'bucket', id: `arn:aws:s3:::${bucket}` }],
    reason: `just-in-time ${request.access} on ${bucket}${request.prefix ? `/${request.prefix}` : ''} for ${ref.id} until ${expiresAt}: ${request.reason}`,
    now: request.startsAt,
  };
}
