import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import type { Playbook } from '../../core/playbooks/playbook.ts';
import { matchesAny } from '../../core/principal-match.ts';
import { alertBuckets, awsAsset } from './assets.ts';

/** A change by a principal in `aws.knownIdentities` (deployment pipelines) is routine. */
export function knownIdentity(alert: Alert, config: Config): string | undefined {
  const known = config.aws?.knownIdentities ?? [];
  return alert.principal && matchesAny(known, alert.principal)
    ? `a known identity (${alert.principal.id})`
    : undefined;
}

/** Without `aws.knownIdentities` nobody can say whether the change was expected: humans judge. */
const unjudged = (_alert: Alert, config: Config) =>
  (config.aws?.knownIdentities ?? []).length === 0
    ? 'no aws.knownIdentities configured: whether this change was expected is for humans to say'
    : undefined;

/** The serving fleet (`detect.knownCallers`) invokes models all day: cutting it off is an outage. */
const servingFleet = (alert: Alert, config: Config) =>
  alert.principal && matchesAny(config.detect.knownCallers, alert.principal)
    ? `the actor ${alert.principal.id} is in detect.knownCallers (the serving fleet): humans judge`
    : undefined;

/** A knowledge base or fine-tuning job reading from a configured asset bucket is where data belongs. */
const sourceInAssets = (alert: Alert, config: Config) => {
  const buckets = alertBuckets(alert);
  if (!buckets.length) return undefined;
  return buckets.every((b) => awsAsset(config, b)) ? 'the source is a configured asset bucket' : undefined;
};

/**
 * GuardDuty AI Protection findings (rated Low by GuardDuty, so they carry a threshold of their
 * own: `minSeverity` 1 unless `minSeverityByType` says otherwise) and the CloudTrail management
 * events that come before a leak through a model. First in the AWS table: `Impact:IAMUser/*` would
 * otherwise send the AI findings to the credential-compromise row and revoke the whole principal.
 */
export const aiPlaybooks: readonly Playbook[] = [
  {
    id: 'aws-ai-model-abuse',
    description:
      'Models invoked anomalously or for cost harvesting by an IAM identity (GuardDuty AI Protection)',
    sources: ['guardduty', 'securityhub'],
    types: ['Impact:IAMUser/AnomalousModelInvocation', 'Impact:IAMUser/CostHarvesting'],
    // contain-resources closes only the models aws.inference.isolateModels names.
    intents: ['contain-inference', 'contain-resources', 'escalate'],
    onResponder: 'escalate',
    minSeverity: 1,
    holdActor: servingFleet,
  },
  {
    id: 'aws-ai-prompt-injection',
    description: 'A direct prompt injection that a Bedrock guardrail intervened on: humans are told',
    sources: ['guardduty', 'securityhub'],
    types: ['Impact:IAMUser/PromptInjection.Direct'],
    intents: ['escalate'],
    onResponder: 'escalate',
    minSeverity: 1,
  },
  {
    id: 'aws-ai-guardrail-weakened',
    description: 'A Bedrock guardrail deleted or weakened',
    sources: ['cloudtrail'],
    types: ['bedrock:DeleteGuardrail', 'bedrock:UpdateGuardrail'],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) =>
      alert.context.guardrailChange === 'changed'
        ? 'the update weakens no filter and removes no policy'
        : knownIdentity(alert, config),
    holdActor: unjudged,
  },
  {
    id: 'aws-ai-logging-disabled',
    description: 'Bedrock model invocation logging turned off: what the models answer is no longer recorded',
    sources: ['cloudtrail'],
    types: [
      'bedrock:DeleteModelInvocationLoggingConfiguration',
      'bedrock:PutModelInvocationLoggingConfiguration',
    ],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) =>
      alert.context.logging === 'configured' ? 'invocation logging stays on' : knownIdentity(alert, config),
    holdActor: unjudged,
  },
  {
    id: 'aws-ai-training-source-changed',
    description:
      'A knowledge-base source or fine-tuning dataset pointed at a bucket outside the configured assets',
    sources: ['cloudtrail'],
    types: ['bedrock:CreateDataSource', 'bedrock:UpdateDataSource', 'bedrock:CreateModelCustomizationJob'],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) => sourceInAssets(alert, config) ?? knownIdentity(alert, config),
    holdActor: unjudged,
  },
];
