import type { Action } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';
import { ISOLATE_POLICY_PREFIX, isolatedModel } from './inference-policies.ts';
import type { PolicyStatement } from './policies.ts';

/**
 * The AWS half of the plan guard (core/plan-guard.ts): whatever a plan read back from the journal
 * says, an AWS action writes Deny-only documents and copies evidence into the evidence bucket only.
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
    default:
      return [];
  }
}

function allDeny(statements: PolicyStatement[] | undefined): boolean {
  return Array.isArray(statements) && statements.length > 0 && statements.every((s) => s?.Effect === 'Deny');
}
