import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { azureRead } from '../operations.ts';
import { subscriptions } from '../subjects.ts';

interface Pricing {
  name?: string;
  properties?: {
    pricingTier?: string;
    subPlan?: string;
    extensions?: { name?: string; isEnabled?: string }[];
  };
}

/** Defender for Storage (plan DefenderForStorageV2, malware scanning) and Defender for AI services on. */
export const defender: PostureCheck = {
  id: 'azure.defender',
  cloud: 'azure',
  title: 'Defender for Storage and Defender for AI services on the subscription',
  why: 'tourniquet-events contains on Defender alerts: Storage.Blob_DataExfiltration.*, malware scanning results and the AI.Azure_* alerts come only from these plans',
  severity: 7,
  operations: ['Microsoft.Security/pricings'],
  subjects: subscriptions,
  reads: (s) => [
    azureRead(
      'Microsoft.Security/pricings',
      s.id,
      `/subscriptions/${s.id}/providers/Microsoft.Security/pricings`,
    ),
  ],
  evaluate(s, { view }) {
    const plans = view.items<Pricing>('Microsoft.Security/pricings', s.id, 'value');
    const plan = (name: string) => plans.find((p) => p.name === name)?.properties;
    const storage = plan('StorageAccounts');
    const ai = plan('AI');
    const malware =
      storage?.extensions?.find((e) => e.name === 'OnUploadMalwareScanning')?.isEnabled === 'True';
    const problems = [
      ...(storage?.pricingTier === 'Standard' ? [] : ['Defender for Storage is off']),
      ...(storage?.pricingTier === 'Standard' && storage.subPlan !== 'DefenderForStorageV2'
        ? [
            `Defender for Storage is on the ${storage.subPlan ?? 'classic'} plan (no malware scanning or sensitive data threat detection)`,
          ]
        : []),
      ...(ai?.pricingTier === 'Standard' ? [] : ['Defender for AI services is off']),
    ];
    if (problems.length)
      return fail(
        problems.join('; '),
        `az security pricing create --name StorageAccounts --tier Standard --subplan DefenderForStorageV2 --subscription ${s.id} && az security pricing create --name AI --tier Standard --subscription ${s.id}`,
      );
    return pass(
      `Defender for Storage (DefenderForStorageV2${malware ? ', malware scanning' : ', malware scanning off'}) and Defender for AI services on`,
    );
  },
};
