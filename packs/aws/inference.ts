import type { PrincipalRef } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { parseIamArn } from '../../core/names.ts';
import type { PlanInput } from '../../core/planner.ts';
import type { DeactivateBedrockApiKeys, DenyInference, IsolateModel } from './actions.ts';
import { describeSession, pinnedSession } from './deny-scope.ts';
import {
  type InferenceScope,
  inferenceDenyPolicy,
  inferencePolicyName,
  isolatedModel,
  isolateModelPolicy,
  isolatePolicyName,
  SCP_MAX_CHARS,
} from './inference-policies.ts';
import { exemptPrincipalArns, INLINE_POLICY_QUOTA, iamPolicySize } from './policies.ts';

type Draft = Omit<DenyInference, 'id'> | Omit<DeactivateBedrockApiKeys, 'id'>;

/**
 * The inference channel closed for each cleared actor (`contain-inference`): a role's session when
 * the alert names it (`AROA…:<session>`), else the role's sessions issued before now; an IAM user
 * entirely, and its Bedrock API keys set Inactive. Actors the plan already revokes are skipped: the
 * session-revoking deny covers their inference too. Returns the actions and what they leave open.
 */
export function planInference(
  input: PlanInput,
  actors: readonly PrincipalRef[],
  revoked: readonly PrincipalRef[],
): { actions: Draft[]; notes: string[] } {
  const actions: Draft[] = [];
  const notes: string[] = [];
  for (const p of actors) {
    if (revoked.some((r) => r.id === p.id)) continue;
    const arn = parseIamArn(p.id);
    if (!arn || arn.type === 'root') continue;
    const pinned = arn.type === 'role' ? pinnedSession(p, input.config.aws?.roleUniqueIds) : undefined;
    const scope: InferenceScope = pinned
      ? pinned
      : arn.type === 'role'
        ? { kind: 'sessions-before', issuedBefore: input.now }
        : { kind: 'principal' };
    const policyName = inferencePolicyName(input.incidentId);
    const policyDocument = inferenceDenyPolicy(scope);
    if (iamPolicySize(policyDocument) > INLINE_POLICY_QUOTA[arn.type])
      throw new Error('inference deny policy exceeds the inline quota');
    const base = { category: 'revoke' as const, target: p.id, account: arn.account };
    actions.push({
      ...base,
      kind: 'deny-inference',
      params: {
        principalType: arn.type,
        principalName: arn.name,
        policyName,
        policyDocument,
        ...(pinned?.kind === 'session' ? { session: pinned.userId } : {}),
        ...(pinned?.kind === 'source-identity' ? { sourceIdentity: pinned.sourceIdentity } : {}),
      },
      inverse: `${arn.type === 'role' ? 'DeleteRolePolicy' : 'DeleteUserPolicy'} ${policyName}`,
    });
    if (arn.type === 'user') actions.push(bedrockApiKeys(p.id, arn.account, arn.name));
    notes.push(note(arn.name, arn.type, pinned && describeSession(pinned)));
  }
  return { actions, notes };
}

/** Every Bedrock API key of a user set Inactive: the alert cannot say which one was used. */
export function bedrockApiKeys(
  userArn: string,
  account: string,
  userName: string,
): Omit<DeactivateBedrockApiKeys, 'id'> {
  return {
    kind: 'deactivate-bedrock-api-keys',
    category: 'revoke',
    target: userArn,
    account,
    params: { userName, serviceName: 'bedrock.amazonaws.com' },
    inverse: 'UpdateServiceSpecificCredential Status=Active for each Bedrock API key that was Active before',
  };
}

function note(name: string, type: 'role' | 'user', session: string | undefined): string {
  if (session)
    return (
      `inference denied to ${session} of role ${name} only: ` +
      'its other sessions keep working, and a new session under another name is not covered'
    );
  if (type === 'role')
    return (
      `inference denied to the sessions of role ${name} issued before now (the alert names no session): ` +
      "the role's own workload loses inference until its credentials refresh"
    );
  return `inference denied to IAM user ${name}, and its Bedrock API keys set Inactive`;
}

/**
 * The models the alert names that `aws.inference.isolateModels` lets Tourniquet close to everyone
 * but the responders (`contain-resources`), by account: one service control policy per account.
 * Other models are left to humans, and said so.
 */
export function planModelIsolation(input: PlanInput): {
  actions: Omit<IsolateModel, 'id'>[];
  notes: string[];
} {
  const patterns = input.config.aws?.inference.isolateModels ?? [];
  const models = input.alert.resources.filter((r) => r.kind === 'model').map((r) => r.id);
  const isolated = models.filter((m) => isolatedModel(patterns, m));
  const notes = models
    .filter((m) => !isolated.includes(m) && patterns.length)
    .map((m) => `${m} is not in aws.inference.isolateModels: it stays open to everyone its policies allow`);
  const byAccount = new Map<string, string[]>();
  for (const m of isolated) {
    const account = /^arn:aws:bedrock:[a-z0-9-]+:(\d{12}):/.exec(m)?.[1] ?? input.alert.account;
    byAccount.set(account, [...(byAccount.get(account) ?? []), m]);
  }
  const exempt = exemptPrincipalArns(guardians(input.config));
  const actions: Omit<IsolateModel, 'id'>[] = [];
  for (const [account, modelArns] of byAccount) {
    const policyDocument = isolateModelPolicy(modelArns, exempt);
    if (iamPolicySize(policyDocument) > SCP_MAX_CHARS || exempt.length === 0) {
      notes.push(
        `models ${modelArns.join(', ')} not isolated: the policy would exceed 5,120 characters or exempt nobody`,
      );
      continue;
    }
    const policyName = isolatePolicyName(input.incidentId);
    actions.push({
      kind: 'isolate-model',
      category: 'quarantine',
      target: [...modelArns].sort()[0] ?? account,
      account,
      params: { modelArns: [...modelArns].sort(), targetAccount: account, policyName, policyDocument },
      inverse: `DetachPolicy and DeletePolicy ${policyName} (the service control policy Tourniquet created)`,
    });
  }
  return { actions, notes };
}

/** Principals an isolation must leave able to act: responders and break-glass. */
function guardians(config: Config): string[] {
  return [...(config.aws?.responders ?? []), ...(config.aws?.protectedPrincipals ?? [])];
}
