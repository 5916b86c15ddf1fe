import {
  fail,
  type PostureCheck,
  type PostureContext,
  pass,
  type Subject,
} from '../../../../core/posture/check.ts';
import { azureRead } from '../operations.ts';
import { azureScope, categoriesSent, type DiagnosticSetting, diagnosticSettingsOf } from '../subjects.ts';

const NEEDED = ['RequestResponse', 'Audit'];
const MODEL_KINDS = ['OpenAI', 'AIServices'];
const list = (sub: string) =>
  azureRead(
    'Microsoft.CognitiveServices/accounts',
    `/subscriptions/${sub}`,
    `/subscriptions/${sub}/providers/Microsoft.CognitiveServices/accounts`,
  );

interface Account {
  id?: string;
  name?: string;
  kind?: string;
  location?: string;
}

/** Azure OpenAI and AI Foundry (AIServices) accounts of the subscriptions in scope. */
function modelAccounts(ctx: PostureContext): Subject[] {
  return azureScope(ctx).subscriptions.flatMap((sub) =>
    ctx.view
      .items<Account>('Microsoft.CognitiveServices/accounts', `/subscriptions/${sub}`, 'value')
      .filter((a) => a.id && MODEL_KINDS.includes(a.kind ?? ''))
      .map((a) => ({
        kind: 'model-service' as const,
        id: a.id as string,
        name: `${a.name} (${a.kind})`,
        account: sub,
        ...(a.location ? { region: a.location } : {}),
        resources: [
          { kind: 'cognitive-account' as const, id: a.id as string, ...(a.name ? { name: a.name } : {}) },
        ],
      })),
  );
}

/** RequestResponse and Audit logs of each model account, archived where the scan reads. */
export const openAiDiagnostics: PostureCheck = {
  id: 'azure.openai-diagnostics',
  cloud: 'azure',
  title: 'Azure OpenAI / AI Foundry diagnostic logs (RequestResponse, Audit) to a storage account',
  why: 'the request-rate, extraction, prompt-injection and canary detectors read the RequestResponse logs; Audit shows key listing and regeneration',
  severity: 7,
  operations: ['Microsoft.CognitiveServices/accounts', 'Microsoft.Insights/diagnosticSettings'],
  discover: (ctx) => azureScope(ctx).subscriptions.map(list),
  subjects: modelAccounts,
  reads: (s) => [diagnosticSettingsOf(s.id)],
  evaluate(s, { view }) {
    const fix = `az monitor diagnostic-settings create --name tourniquet --resource ${s.id} --storage-account <log storage account id> --logs '[{"category":"RequestResponse","enabled":true},{"category":"Audit","enabled":true}]'`;
    const settings = view.items<DiagnosticSetting>('Microsoft.Insights/diagnosticSettings', s.id, 'value');
    if (!settings.length) return fail('no diagnostic setting', fix);
    const notes: string[] = [];
    for (const setting of settings) {
      const sent = categoriesSent(setting, [...NEEDED, 'Trace', 'AzureOpenAIRequestUsage'], ['Audit']);
      const missing = NEEDED.filter((c) => !sent.includes(c));
      if (!missing.length && setting.properties?.storageAccountId)
        return pass(`${setting.name} sends ${NEEDED.join(' and ')} to storage`);
      notes.push(
        `${setting.name}: ${[...(missing.length ? [`no ${missing.join(', ')}`] : []), ...(setting.properties?.storageAccountId ? [] : ['no storage account destination'])].join(', ')}`,
      );
    }
    return fail(notes.join(' | '), fix);
  },
};
