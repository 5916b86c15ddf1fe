import type { Action } from '../../core/actions.ts';
import type { PrincipalRef } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { knownReaderPatterns } from '../../core/detect/known-readers.ts';
import { escalateAction } from '../../core/escalate.ts';
import { parseIamArn } from '../../core/names.ts';
import type { PlanInput } from '../../core/planner.ts';
import { guardedBy } from '../../core/principal-match.ts';
import type { AwsAction, CopyEvidence, PinObjects } from './actions.ts';
import { alertAssetBuckets, alertKeys, awsAsset } from './assets.ts';
import { type DenyScope, describeSession, pinnedSession, whyNoPin } from './deny-scope.ts';
import { bedrockApiKeys, planInference, planModelIsolation } from './inference.ts';
import {
  exemptPrincipalArns,
  INLINE_POLICY_QUOTA,
  iamPolicySize,
  quarantineSid,
  quarantineStatement,
  revocationPolicy,
  revokePolicyName,
} from './policies.ts';

/** 512 MiB parts: a 50 GB object is ~100 parts, 16 in flight, far below the 10,000-part limit. */
export const PART_SIZE_BYTES = 512 * 1024 * 1024;
export const PART_CONCURRENCY = 16;

/** Where an incident's evidence and journal live in the evidence bucket. */
export function incidentPrefix(incidentId: string): string {
  return `incidents/${incidentId}/`;
}

/** Turns intents into AWS actions. Pure: the same input always gives the same plan. */
export function planAws(input: PlanInput): Action[] {
  const { alert, intents } = input;
  const actions: Omit<AwsAction, 'id'>[] = [];
  const revoked = intents.has('revoke-principal') ? actorsToAct(input) : [];
  for (const p of revoked) actions.push(...revokePrincipal(input, p));
  const inference = intents.has('contain-inference')
    ? planInference(input, actorsToAct(input), revoked)
    : { actions: [], notes: [] };
  actions.push(...inference.actions);
  const isolation = intents.has('contain-resources') ? planModelIsolation(input) : { actions: [], notes: [] };
  if (intents.has('contain-resources')) actions.push(...containResources(input), ...isolation.actions);
  const pins = intents.has('preserve-evidence') ? pinEvidence(input) : [];
  actions.push(...pins);

  const numbered: Action[] = actions.map((a, i) => ({ id: `a${i + 1}`, ...a }) as AwsAction);
  if (intents.has('copy-evidence')) {
    for (const pin of numbered.filter((a): a is PinObjects => a.kind === 'pin-objects')) {
      numbered.push({ id: `a${numbered.length + 1}`, ...copyEvidence(input, pin) });
    }
  }
  const base = input.escalation ?? (intents.has('escalate') ? `${alert.source} ${alert.type}` : undefined);
  // What automation leaves to humans is always told, whatever the playbook says.
  const reason = [
    base,
    ...revoked.map((p) => userNote(input, p) ?? roleNote(input, p)),
    ...inference.notes,
    ...isolation.notes,
  ]
    .filter(Boolean)
    .join('; ');
  if (reason) numbered.push(escalateAction(`a${numbered.length + 1}`, alert, reason, numbered));
  return numbered;
}

function revokePrincipal(input: PlanInput, principal: PrincipalRef): Omit<AwsAction, 'id'>[] {
  const arn = parseIamArn(principal.id);
  if (!arn || arn.type === 'root') return [];
  const policyName = revokePolicyName(input.incidentId);
  const scope = revocationScope(input, principal);
  const policyDocument = revocationPolicy(scope);
  const quota = INLINE_POLICY_QUOTA[arn.type];
  if (iamPolicySize(policyDocument) > quota)
    throw new Error('session revocation policy exceeds the inline quota');
  const base = { category: 'revoke' as const, target: principal.id, account: arn.account };
  const inverse = `DeleteRolePolicy ${policyName}`;
  if (arn.type === 'role') {
    return [
      {
        ...base,
        kind: 'revoke-role-sessions',
        params: { roleName: arn.name, policyName, policyDocument, ...sessionParam(scope) },
        inverse,
      },
    ];
  }
  const keys = userKeyPlan(input, principal);
  return [
    {
      ...base,
      kind: 'revoke-user-sessions',
      params: { userName: arn.name, policyName, policyDocument },
      inverse: `DeleteUserPolicy ${policyName}`,
    },
    deactivateKeys(principal.id, arn.account, arn.name, keys.longTerm, keys.allKeys),
    // Long-term Bedrock API keys sign no STS session: the time-conditioned deny does not stop them.
    bedrockApiKeys(principal.id, arn.account, arn.name),
  ];
}

/**
 * How much of a role to revoke. A shared workload role (one a `detect.knownReaders` or
 * `detect.knownCallers` pattern names, any of its sessions, or one whose unique id
 * `aws.roleUniqueIds` gives) loses only the session the alert pins,
 * so the workload keeps running; when the alert pins none, and for every other role and user, all
 * credentials issued before now (the plan says so: `roleNote`).
 */
function revocationScope(input: PlanInput, principal: PrincipalRef): DenyScope {
  const whole: DenyScope = { kind: 'sessions-before', issuedBefore: input.now };
  if (parseIamArn(principal.id)?.type !== 'role' || !sharedWorkload(input.config, principal)) return whole;
  return pinnedSession(principal, input.config.aws?.roleUniqueIds) ?? whole;
}

function sharedWorkload(config: Config, principal: PrincipalRef): boolean {
  if (config.aws?.roleUniqueIds[principal.id]) return true;
  return guardedBy([...knownReaderPatterns(config), ...config.detect.knownCallers], principal);
}

function sessionParam(scope: DenyScope): { session?: string } {
  if (scope.kind === 'session') return { session: scope.userId };
  if (scope.kind === 'source-identity') return { session: `SourceIdentity=${scope.sourceIdentity}` };
  return {};
}

/** What a role's revocation leaves open, or takes down, for a shared workload role. */
function roleNote(input: PlanInput, principal: PrincipalRef): string | undefined {
  const arn = parseIamArn(principal.id);
  if (arn?.type !== 'role' || !sharedWorkload(input.config, principal)) return undefined;
  const scope = revocationScope(input, principal);
  if (scope.kind === 'session' || scope.kind === 'source-identity')
    return (
      `only ${describeSession(scope)} of shared workload role ${arn.name} revoked: its other and new sessions ` +
      'keep working; whoever holds the credentials that minted the session (instance, pod, CI runner) may assume the role again under another name'
    );
  return (
    `WHOLE ROLE revoked: ${arn.name} is a shared workload role (detect.knownReaders/knownCallers) but ` +
    `${whyNoPin(principal)}; so every session issued before now is denied and the workload loses access until its credentials refresh`
  );
}

/**
 * Which keys of a revoked IAM user to deactivate. An ASIA… key is an STS session; a user gets one
 * from GetSessionToken with one of its long-term keys, which can mint fresh sessions that the
 * time-conditioned Deny does not stop. The alert does not say which key minted it, so every key of
 * the user goes Inactive (never deleted); so too when nothing says which key was used. Otherwise
 * the named long-term keys, or all of them with `aws.deactivateAllKeys`.
 */
function userKeyPlan(input: PlanInput, principal: PrincipalRef) {
  const used = principal.accessKeyId;
  const named = input.alert.resources
    .filter((r) => r.kind === 'access-key' && r.parent === principal.id)
    .map((r) => r.id);
  const longTerm = [...new Set([used, ...named])].filter((k): k is string => !!k?.startsWith('AKIA'));
  const unknown = used ? !used.startsWith('AKIA') : longTerm.length === 0;
  return { longTerm, unknown, allKeys: unknown || (input.config.aws?.deactivateAllKeys ?? false) };
}

/** What a user's revocation leaves to humans: the console password is never touched. */
function userNote(input: PlanInput, principal: PrincipalRef): string | undefined {
  const arn = parseIamArn(principal.id);
  if (arn?.type !== 'user') return undefined;
  const used = principal.accessKeyId;
  const why = used ? `the alert shows ${used}, not a long-term (AKIA…) key` : 'the alert names no access key';
  const all = userKeyPlan(input, principal).unknown ? `every access key set Inactive because ${why}; ` : '';
  return (
    `IAM user ${arn.name}: ${all}console password (login profile) not touched: ` +
    'disable it by hand if the user may sign in to the console'
  );
}

function deactivateKeys(
  userArn: string,
  account: string,
  userName: string,
  keys: string[],
  allKeys: boolean,
) {
  return {
    kind: 'deactivate-access-keys' as const,
    category: 'revoke' as const,
    target: userArn,
    account,
    params: { userName, accessKeyIds: keys, allKeys },
    inverse: 'UpdateAccessKey Status=Active for each key that was Active before',
  };
}

function containResources(input: PlanInput): Omit<AwsAction, 'id'>[] {
  const { alert, config } = input;
  const out: Omit<AwsAction, 'id'>[] = [];
  for (const bucket of alertAssetBuckets(alert, config)) {
    out.push({
      kind: 'quarantine-bucket',
      category: 'quarantine',
      target: `arn:aws:s3:::${bucket}`,
      account: alert.account,
      params: {
        bucket,
        statement: quarantineStatement(bucket, exemptPrincipalArns(guardians(config)), input.incidentId),
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
        tag: { Key: 'tourniquet:quarantine', Value: input.incidentId },
      },
      inverse:
        `remove statement ${quarantineSid(input.incidentId)} from the bucket policy; restore the recorded public ` +
        'access block unless another recorded TourniquetQuarantine* statement remains; remove the tag if Tourniquet set it',
    });
  }
  for (const key of alert.resources.filter((r) => r.kind === 'access-key' && r.parent)) {
    const owner = parseIamArn(key.parent ?? '');
    if (owner?.type !== 'user' || input.isGuarded(owner.arn)) continue;
    // The revoked user's own keys are in its deactivate-access-keys action already.
    if (revokesUser(input, owner.arn)) continue;
    out.push(deactivateKeys(owner.arn, owner.account, owner.name, [key.id], false));
  }
  return out;
}

function pinEvidence(input: PlanInput): Omit<PinObjects, 'id'>[] {
  const { alert, config } = input;
  // A bucket forced in by hand has no configured prefixes: only the objects it names are evidence.
  const buckets = alertAssetBuckets(alert, config).filter(
    (b) => awsAsset(config, b) || alertKeys(alert, b).length,
  );
  return buckets.map((bucket) => ({
    kind: 'pin-objects',
    category: 'snapshot',
    target: `arn:aws:s3:::${bucket}`,
    account: alert.account,
    params: {
      bucket,
      keys: alertKeys(alert, bucket),
      prefixes: awsAsset(config, bucket)?.prefixes ?? [],
      maxObjects: config.limits.maxObjects,
      legalHold: true,
    },
    inverse:
      'remove the legal holds placed; suspend versioning if it was off (only with release --include-evidence)',
  }));
}

function copyEvidence(input: PlanInput, pin: PinObjects): Omit<CopyEvidence, 'id'> {
  const evidenceBucket = input.config.aws?.evidenceBucket ?? '';
  return {
    kind: 'copy-evidence',
    category: 'snapshot',
    target: `arn:aws:s3:::${pin.params.bucket}`,
    account: pin.account,
    dependsOn: [pin.id],
    params: {
      bucket: pin.params.bucket,
      evidenceBucket,
      evidencePrefix: `${incidentPrefix(input.incidentId)}objects/${pin.params.bucket}/`,
      pinAction: pin.id,
      partSizeBytes: PART_SIZE_BYTES,
      partConcurrency: PART_CONCURRENCY,
    },
    inverse: 'none: evidence copies are kept (Object Lock on the evidence bucket)',
  };
}

function revokesUser(input: PlanInput, userArn: string): boolean {
  return input.intents.has('revoke-principal') && actorsToAct(input).some((p) => p.id === userArn);
}

/** The principal and the further actors the decision cleared for action, in order. */
export function actorsToAct(input: PlanInput): PrincipalRef[] {
  return [...(input.principal ? [input.principal] : []), ...(input.actors ?? [])];
}

/** Principals a quarantine must leave able to act: responders and break-glass. */
function guardians(config: Config): string[] {
  return [...(config.aws?.responders ?? []), ...(config.aws?.protectedPrincipals ?? [])];
}
