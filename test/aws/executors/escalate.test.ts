/**
 * Escalation events. PutEvents answers 200 with `FailedEntryCount` and per-entry `ErrorCode` /
 * `ErrorMessage` for entries it did not accept (EventBridge API Reference, PutEvents).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../core/errors.ts';
import type { ClientsFor } from '../../../functions-aws/clients.ts';
import { escalate } from '../../../functions-aws/executors/escalate.ts';
import { exfiltrationAlert, role } from '../../support/alerts.ts';
import { ACCOUNT, MEMBER } from '../../support/config.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

const eb = mockClient(EventBridgeClient);
afterEach(() => eb.reset());

describe('escalate', () => {
  it('publishes one Tourniquet Escalation on the configured bus of the home account', async () => {
    const accounts: string[] = [];
    const clients: ClientsFor = async (account, incidentId) => {
      accounts.push(account);
      return homeClients(account, incidentId);
    };
    const action = plannedOf(
      'escalate',
      exfiltrationAlert({ account: MEMBER, principal: role('etl-job', MEMBER) }),
    );
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 0,
      Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }],
    });
    const executor = escalate(clients, { escalationBus: 'ir-escalations', homeAccount: ACCOUNT });
    expect(await executor.read(action, ctx())).toBeNull();
    const out = await executor.apply(action, null, ctx([], 'inc-e1'));
    expect(inputsOf(eb, PutEventsCommand)).toEqual([
      {
        Entries: [
          {
            EventBusName: 'ir-escalations',
            Source: 'tourniquet',
            DetailType: 'Tourniquet Escalation',
            Detail: expect.any(String),
          },
        ],
      },
    ]);
    // The escalation's parameters, and the lines a person reads (nothing was cut off before it here).
    const { message, summary, ...rest } = JSON.parse(
      inputsOf(eb, PutEventsCommand)[0]?.Entries?.[0]?.Detail ?? '',
    );
    expect(rest).toEqual({ incidentId: 'inc-e1', account: MEMBER, ...action.params });
    expect(message).toEqual({
      subject: 'Tourniquet NEEDS A HUMAN inc-e1: Exfiltration:S3/AnomalousBehavior',
      what: `What happened: Exfiltration:S3/AnomalousBehavior, severity 8, by etl-job (account ${MEMBER}) on models-prod, model-00001.safetensors`,
      done: 'Done: nothing changed automatically',
      notDone: 'Not done: guardduty Exfiltration:S3/AnomalousBehavior',
      incident: 'Incident: inc-e1',
      act: `Act: judge, then contain by hand: tourniquet contain --principal arn:aws:iam::${MEMBER}:role/etl-job --incident-id inc-e1-by-hand --reason "…"`,
      pack: 'Evidence pack: (written when containment ends)',
    });
    expect(summary).toBe(
      [message.subject, message.what, message.done, message.notDone, message.act, message.pack].join('\n'),
    );
    expect(JSON.parse(inputsOf(eb, PutEventsCommand)[0]?.Entries?.[0]?.Detail ?? '')).toMatchObject({
      reason: 'guardduty Exfiltration:S3/AnomalousBehavior',
      principal: `arn:aws:iam::${MEMBER}:role/etl-job`,
      severity: 8,
      alertType: 'Exfiltration:S3/AnomalousBehavior',
    });
    expect(accounts).toEqual([ACCOUNT]);
    expect(out).toEqual({
      outcome: 'applied',
      details: { bus: 'ir-escalations', eventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' },
    });
  });

  it('treats a refused entry as transient, so the core retries', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const executor = escalate(homeClients, { escalationBus: 'default', homeAccount: ACCOUNT });
    const error = await executor.apply(plannedOf('escalate'), null, ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(
      'EventBridge refused the escalation on bus default: ThrottlingException Rate exceeded',
    );
  });

  it('has nothing to undo', async () => {
    const executor = escalate(homeClients, { escalationBus: 'default', homeAccount: ACCOUNT });
    expect((await executor.undo(plannedOf('escalate'), null, ctx())).outcome).toBe('already-applied');
    expect(eb).not.toReceiveAnyCommand();
  });
});
