import * as z from 'zod/mini';
import type { ResourceRef } from '../../core/alert.ts';
import { assertPartition } from './fields.ts';
import { maybe, text } from './shape.ts';

/**
 * What GuardDuty AI Protection findings add to `resource` (GuardDuty User Guide
 * `findings-ai-protection`; API Reference `ModelDetail`, `BedrockGuardrail`,
 * `BedrockGuardrailResource`): the models invoked, and the guardrail that intervened.
 */
export const aiResourceShape = {
  modelDetails: maybe(z.array(z.looseObject({ modelId: maybe(text(2048)) })).check(z.maxLength(100))),
  bedrockGuardrailDetails: maybe(
    z.looseObject({
      arn: maybe(text(2048)),
      guardrailArn: maybe(text(2048)),
      version: maybe(text(8)),
      guardrailAction: maybe(text(64)),
      guardrailSource: maybe(text(64)),
    }),
  ),
};

type AiResource = {
  modelDetails?: { modelId?: string | undefined }[] | undefined;
  bedrockGuardrailDetails?:
    | {
        arn?: string | undefined;
        guardrailArn?: string | undefined;
        version?: string | undefined;
        guardrailAction?: string | undefined;
        guardrailSource?: string | undefined;
      }
    | undefined;
};

/** A Bedrock foundation model id (`anthropic.claude-3-5-sonnet-20240620-v1:0`), not an ARN. */
const FOUNDATION_MODEL_ID = /^[a-z0-9-]{2,63}\.[\w.:-]{1,200}$/;
/** ARNs of what answers inference: Bedrock models, profiles, deployments; SageMaker endpoints. */
const MODEL_ARN =
  /^arn:aws:(bedrock:[a-z0-9-]+:(\d{12})?:(foundation-model|custom-model|imported-model|provisioned-model|custom-model-deployment|inference-profile|application-inference-profile|marketplace-model-endpoint)\/[\w.:/-]{1,400}|sagemaker:[a-z0-9-]+:\d{12}:(endpoint|inference-component)\/[\w-]{1,63})$/i;

/**
 * The models of an AI Protection finding as `model` resources (their ARNs: a foundation model id
 * becomes `arn:aws:bedrock:<region>::foundation-model/<id>`), and the facts responders read first.
 * A model id that is neither an ARN Tourniquet knows nor a foundation model id is kept in
 * `context.models` only: it can name nothing to deny.
 */
export function aiResources(
  resource: AiResource,
  region: string,
  where: string,
): { refs: ResourceRef[]; context: Record<string, unknown> } {
  const refs: ResourceRef[] = [];
  const models: string[] = [];
  for (const [i, m] of (resource.modelDetails ?? []).entries()) {
    if (!m.modelId) continue;
    assertPartition(m.modelId, `${where}.modelDetails.${i}.modelId`);
    models.push(m.modelId);
    const arn = MODEL_ARN.test(m.modelId)
      ? m.modelId
      : FOUNDATION_MODEL_ID.test(m.modelId)
        ? `arn:aws:bedrock:${region}::foundation-model/${m.modelId}`
        : undefined;
    if (arn && !refs.some((r) => r.id === arn)) refs.push({ kind: 'model', id: arn });
  }
  const g = resource.bedrockGuardrailDetails;
  const guardrailArn = g?.guardrailArn ?? g?.arn;
  if (guardrailArn) assertPartition(guardrailArn, `${where}.bedrockGuardrailDetails.arn`);
  const guardrail = g
    ? {
        guardrail: {
          ...(guardrailArn ? { arn: guardrailArn } : {}),
          ...(g.version ? { version: g.version } : {}),
          ...(g.guardrailAction ? { action: g.guardrailAction } : {}),
          ...(g.guardrailSource ? { source: g.guardrailSource } : {}),
        },
      }
    : {};
  return { refs, context: { ...(models.length ? { models } : {}), ...guardrail } };
}
