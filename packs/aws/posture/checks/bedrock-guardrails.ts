import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { regions } from '../subjects.ts';

interface Guardrail {
  name?: string;
  id?: string;
  status?: string;
}

/**
 * A Bedrock guardrail ready in the region. Whether every invocation applies it is decided per
 * request, or enforced by IAM with the `bedrock:GuardrailIdentifier` condition key; that is not
 * visible from configuration, and the detail says so.
 */
export const bedrockGuardrails: PostureCheck = {
  id: 'aws.bedrock-guardrails',
  cloud: 'aws',
  title: 'Bedrock Guardrails exist in the region',
  why: 'guardrails block prompt injection and sensitive output before the detectors have to; GuardDuty AI Protection also reports guardrails being removed',
  severity: 4,
  operations: ['bedrock:ListGuardrails'],
  subjects: regions,
  reads: (s) => [awsRead('bedrock:ListGuardrails', s.id, {}, s.id)],
  evaluate(s, { view }) {
    const ready = view
      .items<Guardrail>('bedrock:ListGuardrails', s.id, 'guardrails')
      .filter((g) => g.status === 'READY');
    if (!ready.length)
      return fail(
        `no guardrail is READY in ${s.id}`,
        `aws bedrock create-guardrail --region ${s.id} --name tourniquet-baseline --blocked-input-messaging "Blocked." --blocked-outputs-messaging "Blocked." --content-policy-config '{"filtersConfig":[{"type":"PROMPT_ATTACK","inputStrength":"HIGH","outputStrength":"NONE"}]}', then require it with the IAM condition bedrock:GuardrailIdentifier`,
      );
    return pass(
      `${ready.map((g) => g.name ?? g.id).join(', ')} ready; enforcement on every call needs the IAM condition bedrock:GuardrailIdentifier (not checked here)`,
    );
  },
};
