import type { Applied, Executor } from '../../core/executor.ts';
import type { RegenerateAiKeys } from '../../packs/azure/actions.ts';
import type { AiAccountsClient } from '../ai-accounts-client.ts';
import { existing } from './disable-local-auth.ts';

const NOT_RESTORABLE =
  'not restorable: the old keys are gone for good; the applications need the new keys ' +
  '(az cognitiveservices account keys list), which Tourniquet never reads or records';

/**
 * Regenerates both keys of an AI account whose applications must keep using keys
 * (`localAuth: rotate`): the keys an attacker holds stop working. The answers carry the new keys;
 * they are dropped unread. Undo cannot bring the old keys back, and says so.
 */
export function regenerateAiKeys(ai: AiAccountsClient): Executor<RegenerateAiKeys, Record<string, never>> {
  return {
    permissions: [
      'Microsoft.CognitiveServices/accounts/read',
      'Microsoft.CognitiveServices/accounts/regenerateKey/action',
    ],

    async read(action) {
      await existing(ai, action.params.accountId);
      return {};
    },

    async apply(action): Promise<Applied> {
      // One after the other: an application that falls back to the other key keeps one working
      // key for as long as the first regeneration takes.
      for (const key of action.params.keyNames) await ai.regenerateKey(action.params.accountId, key);
      return {
        outcome: 'applied',
        details: { regenerated: [...action.params.keyNames], residual: NOT_RESTORABLE },
      };
    },

    async undo(): Promise<Applied> {
      return { outcome: 'already-applied', details: { note: NOT_RESTORABLE } };
    },
  };
}
