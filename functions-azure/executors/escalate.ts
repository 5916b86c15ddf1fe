import type { EscalateAction } from '../../core/actions.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { WriteOnceStore } from '../../core/journal.ts';

/** What an escalation tells humans; the logger writes it as one structured line. */
export interface Escalation {
  incidentId: string;
  actionId: string;
  account: string;
  reason: string;
  principal?: string;
  resources: string[];
  severity: number;
  alertType: string;
  /** Where the incident's evidence pack is written when containment finishes. */
  evidencePack?: string;
}

/**
 * Tells humans: the escalation is written once to the evidence container
 * (`incidents/<id>/escalations/<action>.json`) and logged as a `tourniquet.escalation` line, which
 * an Azure Monitor log alert rule turns into a notification (docs/azure.md). Nothing is changed.
 */
export function escalate(
  evidence: WriteOnceStore,
  notify: (e: Escalation) => void,
  packLocation?: (incidentId: string) => string,
): Executor<EscalateAction, null> {
  return {
    permissions: ['data:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'],

    async read() {
      return null;
    },

    async apply(action, _before, ctx): Promise<Applied> {
      const escalation: Escalation = {
        incidentId: ctx.incidentId,
        actionId: action.id,
        account: action.account,
        ...action.params,
        ...(packLocation ? { evidencePack: packLocation(ctx.incidentId) } : {}),
      };
      const key = `incidents/${ctx.incidentId}/escalations/${action.id}.json`;
      const created = await evidence.create(key, `${JSON.stringify(escalation, null, 2)}\n`);
      notify(escalation);
      return { outcome: created ? 'applied' : 'already-applied', details: { record: key } };
    },

    async undo(): Promise<Applied> {
      return { outcome: 'already-applied', details: { reason: 'a notification is not undone' } };
    },
  };
}
