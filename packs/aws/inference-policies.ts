import { type DenyScope, scopeCondition } from './deny-scope.ts';
import type { PolicyDocument } from './policies.ts';

export { ROLE_SESSION_USER_ID } from './deny-scope.ts';

/**
 * The inference channel as IAM authorizes it. GuardDuty's AI Protection guidance names the API
 * operations InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream and SageMaker's
 * InvokeEndpoint*; IAM authorizes Converse with `bedrock:InvokeModel` and ConverseStream with
 * `bedrock:InvokeModelWithResponseStream` (Bedrock API Reference, Converse / ConverseStream:
 * "This operation requires permission for …"), so the operations map onto these IAM actions.
 */
export const INFERENCE_OPERATIONS = {
  'bedrock-runtime:InvokeModel': 'bedrock:InvokeModel',
  'bedrock-runtime:Converse': 'bedrock:InvokeModel',
  'bedrock-runtime:StartAsyncInvoke': 'bedrock:InvokeModel',
  'bedrock-runtime:InvokeModelWithResponseStream': 'bedrock:InvokeModelWithResponseStream',
  'bedrock-runtime:ConverseStream': 'bedrock:InvokeModelWithResponseStream',
  'bedrock-runtime:InvokeModelWithBidirectionalStream': 'bedrock:InvokeModelWithResponseStream',
  'sagemaker-runtime:InvokeEndpoint': 'sagemaker:InvokeEndpoint',
  'sagemaker-runtime:InvokeEndpointWithResponseStream': 'sagemaker:InvokeEndpointWithResponseStream',
  'sagemaker-runtime:InvokeEndpointAsync': 'sagemaker:InvokeEndpointAsync',
} as const;

/**
 * Every IAM action the inference deny names: the model calls above, the other ways a Bedrock
 * model answers with the data behind it (agents, flows, knowledge-base retrieval: RAG data leaves
 * through them too), and Bedrock API keys (`CallWithBearerToken`, short- and long-term keys).
 */
export const INFERENCE_ACTIONS = [
  ...new Set(Object.values(INFERENCE_OPERATIONS)),
  'bedrock:InvokeAgent',
  'bedrock:InvokeInlineAgent',
  'bedrock:InvokeFlow',
  'bedrock:Retrieve',
  'bedrock:RetrieveAndGenerate',
  'bedrock:CallWithBearerToken',
].sort();

export const INFERENCE_SID = 'TourniquetDenyInference';

/** Who the deny applies to: the revocation's scopes (deny-scope.ts), one mechanism for both. */
export type InferenceScope = DenyScope;

/**
 * The inline Deny on the inference actions. For one session: `aws:userid` equals
 * `<role id>:<session name>` (IAM User Guide, principal key values), so the role's other sessions
 * keep working; for a role whose session is not named: credentials issued before the incident
 * (like "Revoke active sessions", on inference only); for an IAM user: every call of the user.
 *
 * @example
 * inferenceDenyPolicy({ kind: 'session', userId: 'AROAEXAMPLEROLEID:dev-carol' })
 */
export function inferenceDenyPolicy(scope: InferenceScope): PolicyDocument {
  const condition = scopeCondition(scope);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: INFERENCE_SID,
        Effect: 'Deny',
        Action: [...INFERENCE_ACTIONS],
        Resource: ['*'],
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  };
}

/** Inline policy name for one incident's inference deny (removing it is the inverse). */
export function inferencePolicyName(incidentId: string): string {
  return `tourniquet-inference-${incidentId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}

/** Service control policies are at most 5,120 characters (AWS Organizations quotas). */
export const SCP_MAX_CHARS = 5120;
export const ISOLATE_SID = 'TourniquetIsolateModel';

/**
 * The model calls a service control policy denies for one model: invoking it, directly or streamed.
 * IAM authorizes InvokeModel on the ARN the call names (imported-model, provisioned-model,
 * custom-model-deployment, inference profiles; Service Authorization Reference), so the policy
 * names those ARNs as the finding gives them.
 */
export const ISOLATE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/**
 * A service control policy denying the models to every principal of the account but the exempt
 * ones (responders, break-glass, Tourniquet's own roles; `aws:PrincipalArn` with and without role
 * paths, as for the bucket quarantine). Bedrock models take no resource policy that binds their
 * invocation, so an SCP is the one way to stop a model answering everyone at once.
 */
export function isolateModelPolicy(modelArns: readonly string[], exempt: readonly string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: ISOLATE_SID,
        Effect: 'Deny',
        Action: [...ISOLATE_ACTIONS],
        Resource: [...modelArns].sort(),
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [...exempt] } },
      },
    ],
  };
}

/** The SCP's name for one incident (Organizations: 1–128 characters of `[\s\S]`; kept to IAM's). */
export const ISOLATE_POLICY_PREFIX = 'tourniquet-isolate-';
export function isolatePolicyName(incidentId: string): string {
  return `${ISOLATE_POLICY_PREFIX}${incidentId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}

/** Is a model ARN one `aws.inference.isolateModels` names (`*` matches any run of characters)? */
export function isolatedModel(patterns: readonly string[], modelArn: string): boolean {
  return patterns.some((p) =>
    new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(modelArn),
  );
}
