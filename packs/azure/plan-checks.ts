import type { Action } from '../../core/actions.ts';
import type { Config } from '../../core/config.ts';

/**
 * The Azure half of the plan guard (core/plan-guard.ts): whatever a plan read back from the journal
 * says, evidence is copied into the configured evidence container only. What is wrong with
 * `action`, or `[]`. (Azure actions write no policy documents: nothing like AWS's Deny-only check.)
 */
export function checkAzurePlanned(action: Action, config: Config): string[] {
  const where = `${action.id} ${action.kind}`;
  switch (action.kind) {
    case 'copy-blob-evidence': {
      const evidence = config.azure?.evidence;
      const same =
        action.params.evidenceStorageAccountId.toLowerCase() === evidence?.storageAccount.toLowerCase() &&
        action.params.evidenceContainer === evidence?.container;
      return same ? [] : [`${where} copies outside the evidence container`];
    }
    default:
      return [];
  }
}
