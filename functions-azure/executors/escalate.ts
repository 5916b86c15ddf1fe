import type { EscalateAction } from '../../core/actions.ts';
import { type EscalationMessage, escalationOf } from '../../core/escalation-message.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { WriteOnceStore } from '../../core/journal.ts';

/** The `msg` of the log line every escalation writes; deploy/azure-escalation-alert.json fires on it. */
export const ESCALATION_LOG_MESSAGE = 'tourniquet.escalation';

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
  /** What a person reads (core/escalation-message.ts), line by line. */
  message: Omit<EscalationMessage, 'text'>;
  /** The same, as one text. */
  summary: string;
}

/** Where else an escalation went (the webhooks of azure.notify), for the action's outcome. */
export type Notified = { webhooks: { host: string; status: number | string }[] } | undefined;

/**
 * Tells humans: the escalation — with the message a person reads (what happened, what the cut-off
 * it waited for did, what it did not and why, the command to act) — is written once to the evidence
 * container (`incidents/<id>/escalations/<action>.json`), logged as a `tourniquet.escalation` line,
 * which an Azure Monitor log alert rule turns into a notification through an action group
 * (deploy/azure-escalation-alert.json), and posted to the webhooks of `azure.notify`. Nothing is
 * changed. A webhook that fails is named in the outcome, never fails the escalation: the log line
 * and the record are already there.
 */
export function escalate(
  evidence: WriteOnceStore,
  notify: (e: Escalation) => Notified | Promise<Notified>,
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
        ...escalationOf(action, ctx, packLocation?.(ctx.incidentId)),
      };
      const key = `incidents/${ctx.incidentId}/escalations/${action.id}.json`;
      const created = await evidence.create(key, `${JSON.stringify(escalation, null, 2)}\n`);
      const notified = await notify(escalation);
      return {
        outcome: created ? 'applied' : 'already-applied',
        details: { record: key, ...(notified ? notified : {}) },
      };
    },

    async undo(): Promise<Applied> {
      return { outcome: 'already-applied', details: { reason: 'a notification is not undone' } };
    },
  };
}
