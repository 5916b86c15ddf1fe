import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { armOrAbsent, evidenceContainer, get } from '../subjects.ts';

/** NIS2's final report is due a month after the incident: evidence must outlive it, untouched. */
const MIN_DAYS = 30;

interface Policy {
  properties?: { immutabilityPeriodSinceCreationInDays?: number; state?: string };
}

/** A time-based retention policy (or version-level immutability) on the evidence container. */
export const evidenceImmutability: PostureCheck = {
  id: 'azure.evidence-immutability',
  cloud: 'azure',
  title: 'Immutability (time-based retention) on the evidence container',
  why: 'the incident journal and evidence copies are write-once only under an immutability policy; regulators and release rely on them being untouched',
  severity: 7,
  operations: ['Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies'],
  subjects: evidenceContainer,
  reads: (s) => [
    get(
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies',
      `${s.id}/immutabilityPolicies/default`,
    ),
  ],
  evaluate(s, { view }) {
    const fix = `az storage container immutability-policy create --account-name ${s.name.split('/')[0]} --container-name ${s.name.split('/')[1]} --period 400, then lock it (az storage container immutability-policy lock) once tested`;
    const policy = armOrAbsent<Policy>(
      view,
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies',
      `${s.id}/immutabilityPolicies/default`,
    );
    const p = policy === 'absent' ? undefined : policy.properties;
    const days = p?.immutabilityPeriodSinceCreationInDays ?? 0;
    if (!p || days === 0)
      return fail('no immutability policy: journal entries and evidence can be deleted', fix);
    if (days < MIN_DAYS)
      return fail(`retention is ${days} days, under the ${MIN_DAYS} the NIS2 final report needs`, fix);
    return pass(
      `${p.state ?? 'Unlocked'} retention of ${days} days` +
        (p.state === 'Locked' ? '' : ' (an unlocked policy can still be shortened or removed: lock it)'),
    );
  },
};
