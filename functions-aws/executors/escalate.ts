import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EscalateAction } from '../../core/actions.ts';
import { TransientError } from '../../core/errors.ts';
import { escalationOf } from '../../core/escalation-message.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { ClientsFor } from '../clients.ts';
import { awsCall } from '../errors.ts';

export interface EscalateOptions {
  /** `aws.escalationBus`: a bus name or ARN in the home account. */
  escalationBus: string;
  /** Escalations go to the responders' bus in the home account, whatever account the alert came from. */
  homeAccount: string;
  /** Where the incident's evidence pack is written when containment finishes (named in the event). */
  packLocation?: (incidentId: string) => string;
}

export const ESCALATION_SOURCE = 'tourniquet';
export const ESCALATION_DETAIL_TYPE = 'Tourniquet Escalation';

/**
 * Tells humans: one `Tourniquet Escalation` event on the escalation bus, with the action's
 * parameters, the incident id and the message a person reads (core/escalation-message.ts: what
 * happened, what the cut-off it waited for did, what it did not and why, the command to act).
 * Nothing is read or changed, so there is nothing to undo.
 */
export function escalate(clients: ClientsFor, options: EscalateOptions): Executor<EscalateAction, null> {
  return {
    permissions: ['events:PutEvents'],

    async read() {
      return null;
    },

    async apply(action, _before, ctx): Promise<Applied> {
      const { eventBridge } = await clients(options.homeAccount, ctx.incidentId);
      // `message` holds one line per field for the escalation rule's input transformer (a phone
      // reads lines, not JSON); `summary` is the same text in one field for other consumers.
      const detail = {
        incidentId: ctx.incidentId,
        account: action.account,
        ...action.params,
        ...escalationOf(action, ctx, options.packLocation?.(ctx.incidentId)),
      };
      const out = await awsCall(() =>
        eventBridge.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: options.escalationBus,
                Source: ESCALATION_SOURCE,
                DetailType: ESCALATION_DETAIL_TYPE,
                Detail: JSON.stringify(detail),
              },
            ],
          }),
        ),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const entry = out.Entries?.[0];
        // PutEvents answers 200 with per-entry failures (e.g. ThrottlingException, InternalFailure).
        throw new TransientError(
          `EventBridge refused the escalation on bus ${options.escalationBus}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
        );
      }
      return {
        outcome: 'applied',
        details: { bus: options.escalationBus, eventId: out.Entries?.[0]?.EventId },
      };
    },

    async undo() {
      return { outcome: 'already-applied', details: { note: 'a notification is not undone' } };
    },
  };
}
