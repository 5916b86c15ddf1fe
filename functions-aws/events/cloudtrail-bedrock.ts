import * as z from 'zod/mini';
import type { Facts } from './cloudtrail-s3.ts';
import { assertPartition, printable } from './fields.ts';
import type { ResourceList } from './resources.ts';
import { maybe, parseShape, reject, show, text } from './shape.ts';

const optionalText = maybe(text(2048));
const filterShape = z.looseObject({
  type: optionalText,
  inputStrength: optionalText,
  outputStrength: optionalText,
});
/** Request parameters of the Bedrock calls handled (Bedrock API Reference, as CloudTrail records them). */
const paramsShape = z.looseObject({
  guardrailIdentifier: optionalText,
  contentPolicyConfig: maybe(
    z.looseObject({ filtersConfig: maybe(z.array(filterShape).check(z.maxLength(50))) }),
  ),
  sensitiveInformationPolicyConfig: maybe(z.unknown()),
  topicPolicyConfig: maybe(z.unknown()),
  wordPolicyConfig: maybe(z.unknown()),
  contextualGroundingPolicyConfig: maybe(z.unknown()),
  loggingConfig: maybe(
    z.looseObject({
      cloudWatchConfig: maybe(z.unknown()),
      s3Config: maybe(z.unknown()),
      textDataDeliveryEnabled: maybe(z.boolean()),
      imageDataDeliveryEnabled: maybe(z.boolean()),
      embeddingDataDeliveryEnabled: maybe(z.boolean()),
      videoDataDeliveryEnabled: maybe(z.boolean()),
    }),
  ),
  knowledgeBaseId: optionalText,
  dataSourceConfiguration: maybe(
    z.looseObject({ type: optionalText, s3Configuration: maybe(z.looseObject({ bucketArn: optionalText })) }),
  ),
  trainingDataConfig: maybe(z.looseObject({ s3Uri: optionalText })),
});
type Params = z.infer<typeof paramsShape>;

const WEAK = new Set(['NONE', 'LOW']);
const POLICIES = [
  'contentPolicyConfig',
  'sensitiveInformationPolicyConfig',
  'topicPolicyConfig',
  'wordPolicyConfig',
  'contextualGroundingPolicyConfig',
] as const;

/**
 * Severity and facts of the management calls that come before a leak through a model, with the
 * reason for each number:
 * - DeleteGuardrail 7; UpdateGuardrail 7 when it weakens the guardrail (a content filter set to
 *   NONE or LOW, or no policy left: an update replaces the whole configuration), 3 otherwise.
 * - DeleteModelInvocationLoggingConfiguration 7; PutModelInvocationLoggingConfiguration 7 when it
 *   delivers nothing (no destination, or every data type off), 2 otherwise: the leak goes unlogged.
 * - CreateDataSource / UpdateDataSource (a knowledge base's S3 source) and
 *   CreateModelCustomizationJob (fine-tuning data) 7: what the model learns from or answers with
 *   changes; the playbook lets sources in configured assets pass.
 */
export const BEDROCK_EVENTS: Record<string, (p: Params, resources: ResourceList) => Facts> = {
  DeleteGuardrail: (p) => ({ severity: 7, context: { ...guardrailOf(p), guardrailChange: 'deleted' } }),
  UpdateGuardrail: (p) => {
    const weakened = weakenedBy(p);
    return {
      severity: weakened ? 7 : 3,
      context: {
        ...guardrailOf(p),
        guardrailChange: weakened ? 'weakened' : 'changed',
        ...(weakened ? { weakened } : {}),
      },
    };
  },
  DeleteModelInvocationLoggingConfiguration: () => ({ severity: 7, context: { logging: 'disabled' } }),
  PutModelInvocationLoggingConfiguration: (p) => {
    const c = p.loggingConfig;
    const destination = c?.cloudWatchConfig !== undefined || c?.s3Config !== undefined;
    const delivered = [
      c?.textDataDeliveryEnabled,
      c?.imageDataDeliveryEnabled,
      c?.embeddingDataDeliveryEnabled,
      c?.videoDataDeliveryEnabled,
    ].some((v) => v === true);
    const disabled = !destination || !delivered;
    return { severity: disabled ? 7 : 2, context: { logging: disabled ? 'disabled' : 'configured' } };
  },
  CreateDataSource: (p, resources) => source(p, resources),
  UpdateDataSource: (p, resources) => source(p, resources),
  CreateModelCustomizationJob: (p, resources) => {
    const uri = p.trainingDataConfig?.s3Uri;
    const m = uri ? /^s3:\/\/([^/]+)(?:\/.*)?$/s.exec(uri) : null;
    if (uri && !m) reject(`requestParameters.trainingDataConfig.s3Uri ${show(uri)} is not an s3:// URI`);
    if (m?.[1]) resources.bucket(m[1], 'requestParameters.trainingDataConfig.s3Uri bucket');
    return { severity: 7, context: { trainingSource: m?.[1] ?? 'unknown' } };
  },
};

/** The facts of a Bedrock call and the buckets it names. */
export function bedrockFacts(eventName: string, requestParameters: unknown, resources: ResourceList): Facts {
  const p = parseShape(paramsShape, requestParameters ?? {}, 'detail.requestParameters');
  return BEDROCK_EVENTS[eventName]?.(p, resources) ?? { severity: 0, context: {} };
}

function guardrailOf(p: Params): { guardrail?: string } {
  const id = p.guardrailIdentifier;
  if (id) assertPartition(id, 'requestParameters.guardrailIdentifier');
  return id ? { guardrail: printable(id).slice(0, 256) } : {};
}

/** What an update takes away, or undefined when it takes nothing away we can see. */
function weakenedBy(p: Params): string | undefined {
  const weak = (p.contentPolicyConfig?.filtersConfig ?? []).filter(
    (f) => WEAK.has(f.inputStrength ?? '') || WEAK.has(f.outputStrength ?? ''),
  );
  if (weak.length)
    return `content filters ${weak.map((f) => printable(f.type ?? '?').slice(0, 32)).join(', ')} set to NONE or LOW`;
  if (POLICIES.every((k) => p[k] === undefined)) return 'no policy left in the guardrail';
  return undefined;
}

function source(p: Params, resources: ResourceList): Facts {
  const arn = p.dataSourceConfiguration?.s3Configuration?.bucketArn;
  if (arn) resources.s3Arn(arn, 'requestParameters.dataSourceConfiguration.s3Configuration.bucketArn');
  const bucket = arn?.slice('arn:aws:s3:::'.length);
  return {
    severity: 7,
    context: {
      knowledgeSource: bucket ?? printable(p.dataSourceConfiguration?.type ?? 'unknown').slice(0, 64),
      ...(p.knowledgeBaseId ? { knowledgeBase: printable(p.knowledgeBaseId).slice(0, 64) } : {}),
    },
  };
}
