import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { DisableLocalAuth } from '../../packs/azure/actions.ts';
import type { AiAccountsClient } from '../ai-accounts-client.ts';

/** `disableLocalAuth` as it was; null when never set (Azure reads that as false: keys work). */
export interface LocalAuthBefore {
  disableLocalAuth: boolean | null;
}

export const RESIDUAL_LOCAL_AUTH =
  'API keys stop within minutes of the change; Entra tokens (managed identities, users) keep working, ' +
  'and tokens already issued stay valid until they expire; responses already streaming finish';

/**
 * Turns API-key access off on an Azure OpenAI / AI Foundry account (`properties.disableLocalAuth:
 * true`, ARM reference Microsoft.CognitiveServices accounts). Control plane only; release sets the
 * recorded value back.
 */
export function disableLocalAuth(ai: AiAccountsClient): Executor<DisableLocalAuth, LocalAuthBefore> {
  return {
    permissions: ['Microsoft.CognitiveServices/accounts/read', 'Microsoft.CognitiveServices/accounts/write'],

    async read(action) {
      return { disableLocalAuth: (await existing(ai, action.params.accountId)).disableLocalAuth ?? null };
    },

    async apply(action, before): Promise<Applied> {
      const details = { localAuth: 'disabled', residual: RESIDUAL_LOCAL_AUTH };
      if (before.disableLocalAuth === true) return { outcome: 'already-applied', details };
      await ai.update(action.params.accountId, { disableLocalAuth: true });
      return { outcome: 'applied', details };
    },

    async undo(action, before): Promise<Applied> {
      const value = before.disableLocalAuth ?? false;
      await ai.update(action.params.accountId, { disableLocalAuth: value });
      return { outcome: 'applied', details: { restored: { disableLocalAuth: value } } };
    },
  };
}

/** The account as ARM has it; a missing account is an error a human must look at. */
export async function existing(ai: AiAccountsClient, accountId: string) {
  const state = await ai.get(accountId);
  if (!state)
    throw new ActionError(
      `AI account ${accountId} does not exist (or the function app's identity cannot read it): nothing changed; ` +
        'check azure.inference.accounts and the Tourniquet Responder role assignment',
    );
  return state;
}
