import type { Action } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';
import { ISOLATE_POLICY_PREFIX, isolatedModel } from './inference-policies.ts';
import type { PolicyStatement } from './policies.ts';

/**
 * The AWS half of the plan guard (core/plan-guard.ts): whatever a plan read back from the journal
 * says, an AWS action writes Deny-only documents (but a just-in-time grant's time-bound S3 Allow on
 * an asset bucket) and copies evidence into the evidence bucket only.
 * What is wrong with `action`, or `[]`.
 */
export function checkAwsPlanned(action: Action, config: Config): string[] {
  const where = `${action.id} ${action.kind}`;
  switch (action.kind) {
    case 'revoke-role-sessions':
    case 'revoke-user-sessions':
    case 'deny-inference':
      return allDeny(action.params.policyDocument?.Statement)
        ? []
        : [`${where} writes a policy that is not Deny-only`];
    case 'quarantine-bucket':
      return allDeny([action.params.statement]) ? [] : [`${where} writes a statement that is not a Deny`];
    case 'isolate-model': {
      const patterns = config.aws?.inference.isolateModels ?? [];
      const unlisted = action.params.modelArns.filter((m) => !isolatedModel(patterns, m));
      if (!allDeny(action.params.policyDocument?.Statement))
        return [`${where} writes a policy that is not Deny-only`];
      // Release detaches and deletes the policy by this name: it must be one Tourniquet created.
      if (!action.params.policyName.startsWith(ISOLATE_POLICY_PREFIX))
        return [`${where} names a policy that is not Tourniquet's (${action.params.policyName})`];
      return unlisted.length
        ? [`${where} isolates models not in aws.inference.isolateModels: ${unlisted.join(', ')}`]
        : [];
    }
    case 'copy-evidence':
      return action.params.evidenceBucket === config.aws?.evidenceBucket
        ? []
        : [`${where} copies to ${action.params.evidenceBucket}, not the evidence bucket`];
    case 'deny-standing-access':
      return allDeny(action.params.policyDocument?.Statement)
        ? []
        : [`${where} writes a policy that is not Deny-only`];
    case 'grant-access':
      return timeBoundGrant(action.params, config).map((p) => `${where} ${p}`);
    default:
      return [];
  }
}

const S3_ARN = /^arn:aws:s3:::([^/*?]+)(\/.*)?$/;

/**
 * The one Allow an AWS plan may write: a just-in-time grant's, S3 actions on asset buckets only,
 * every statement ending at the grant's expiry (`DateLessThan aws:CurrentTime`).
 */
function timeBoundGrant(
  p: { expiresAt: string; policyDocument?: { Statement?: PolicyStatement[] } },
  config: Config,
): string[] {
  const assets = new Set((config.aws?.assets ?? []).map((a) => a.bucket));
  const statements = p.policyDocument?.Statement ?? [];
  if (!statements.length) return ['writes an empty policy'];
  const out: string[] = [];
  for (const s of statements) {
    const actions = [s.Action ?? []].flat();
    const resources = [s.Resource ?? []].flat();
    if (s.Effect === 'Allow') {
      if (s.Condition?.DateLessThan?.['aws:CurrentTime'] !== p.expiresAt)
        out.push('writes an Allow that does not end at its expiry');
      if (s.NotAction || s.NotResource || !actions.every((a) => /^s3:[A-Za-z]+$/.test(String(a))))
        out.push('writes an Allow beyond named S3 actions');
      if (!resources.every((r) => assets.has(S3_ARN.exec(String(r))?.[1] ?? '')))
        out.push('writes an Allow outside the asset buckets');
    } else if (s.Effect !== 'Deny') out.push('writes a statement that is neither Allow nor Deny');
  }
  return out;
}

function allDeny(statements: PolicyStatement[] | undefined): boolean {
  return Array.isArray(statements) && statements.length > 0 && statements.every((s) => s?.Effect === 'Deny');
}
