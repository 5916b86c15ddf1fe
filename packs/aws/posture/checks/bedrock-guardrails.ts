import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { regions } from '../subjects.ts';

interface Guardrail {
  name?: string;
  id?: string;
  status?: string;
}
interface Enforced {
  configId?: string;
  guardrailId?: string;
  guardrailArn?: string;
  guardrailVersion?: string;
}

/**
 * A Bedrock guardrail enforced on every invocation of the account in the region
 * (`ListEnforcedGuardrailsConfiguration`); guardrails that merely exist only apply to the calls
 * that name them (or where IAM requires them with `bedrock:GuardrailIdentifier`).
 */
export const bedrockGuardrails: PostureCheck = {
  id: 'aws.bedrock-guardrails',
  cloud: 'aws',
  title: 'Bedrock Guardrails enforced on the account',
  why: 'an enforced guardrail blocks prompt attacks and sensitive output on every call, before the detectors have to find them in the invocation logs',
  severity: 4,
  operations: ['bedrock:ListGuardrails', 'bedrock:ListEnforcedGuardrailsConfiguration'],
  subjects: regions,
  reads: (s) => [
    awsRead('bedrock:ListGuardrails', s.id, {}, s.id),
    awsRead('bedrock:ListEnforcedGuardrailsConfiguration', s.id, {}, s.id),
  ],
  evaluate(s, { view }) {
    const enforced = view.items<Enforced>(
      'bedrock:ListEnforcedGuardrailsConfiguration',
      s.id,
      'guardrailsConfig',
    );
    if (enforced.length)
      return pass(
        `enforced on every invocation: ${enforced.map((e) => `${e.guardrailId ?? e.guardrailArn} v${e.guardrailVersion ?? '?'}`).join(', ')}`,
      );
    const ready = view
      .items<Guardrail>('bedrock:ListGuardrails', s.id, 'guardrails')
      .filter((g) => g.status === 'READY');
    const id = ready[0]?.id ?? '<guardrail id>';
    const enforce = `aws bedrock create-guardrail-version --region ${s.id} --guardrail-identifier ${id} && aws bedrock put-enforced-guardrail-configuration --region ${s.id} --guardrail-inference-config '{"guardrailIdentifier":"${id}","guardrailVersion":"1"}'`;
    if (!ready.length)
      return fail(
        `no guardrail in ${s.id}`,
        `aws bedrock create-guardrail --region ${s.id} --name tourniquet-baseline --blocked-input-messaging Blocked --blocked-outputs-messaging Blocked --content-policy-config '{"filtersConfig":[{"type":"PROMPT_ATTACK","inputStrength":"HIGH","outputStrength":"NONE"}]}'; then ${enforce}`,
      );
    return fail(
      `${ready.map((g) => g.name ?? g.id).join(', ')} ready but none enforced: only calls that name a guardrail (or IAM policies requiring bedrock:GuardrailIdentifier) use it`,
      enforce,
    );
  },
};
