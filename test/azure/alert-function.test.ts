// The functions end to end: real events (test/fixtures/azure/README.md) in, containment through the
// core, the data plane on Azurite and ARM on a recording fake.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../core/errors.ts';
import { alertHandler } from '../../functions-azure/functions/alert-http.ts';
import { azureStack, invocation, post, withFailing } from './support/stack.ts';

describe('HTTP alert webhook', () => {
  it('answers the Event Grid validation handshake and the CloudEvents OPTIONS handshake', async () => {
    const s = await azureStack();
    const validation = [
      {
        id: '1',
        topic: '',
        subject: '',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        eventTime: '2026-11-25T10:00:00Z',
        data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' },
      },
    ];
    const answered = await alertHandler(s.getRuntime)(post('alert', validation), invocation().context);
    expect(answered).toMatchObject({
      status: 200,
      jsonBody: { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' },
    });
    const options = new HttpRequest({
      method: 'OPTIONS',
      url: 'http://localhost/api/tourniquet/alert',
      headers: { 'webhook-request-origin': 'eventgrid.azure.net' },
    });
    expect(await alertHandler(s.getRuntime)(options, invocation().context)).toMatchObject({
      status: 200,
      headers: { 'WebHook-Allowed-Origin': 'eventgrid.azure.net' },
    });
    expect(s.azure.requests).toEqual([]);
  });

  it('contains from an Azure Monitor action group alert (common schema)', async () => {
    const s = await azureStack();
    const alert = JSON.parse(
      (await import('node:fs')).readFileSync(
        'test/fixtures/azure/monitor-activity-log-listkeys.json',
        'utf8',
      ),
    );
    const response = await alertHandler(s.getRuntime)(post('alert', alert), invocation().context);
    expect(response.status).toBe(200);
    expect((response.jsonBody as { decisions: { decision: string }[] }).decisions[0]?.decision).toBe(
      'contain',
    );
    expect(s.azure.mutating().map((r) => r.method)).toContain('DELETE');
  });

  it('answers 500 with every decision when containment is incomplete, so the sender retries', async () => {
    const s = await azureStack();
    const denied = withFailing(s.runtime, 'remove-role-assignments', new ActionError('AuthorizationFailed'));
    const alert = JSON.parse(
      (await import('node:fs')).readFileSync(
        'test/fixtures/azure/monitor-activity-log-listkeys.json',
        'utf8',
      ),
    );
    const response = await alertHandler(async () => denied)(post('alert', alert), invocation().context);
    expect(response).toMatchObject({
      status: 500,
      jsonBody: {
        error: expect.stringMatching(/^ContainmentFailedError: .*remove-role-assignments/),
        decisions: [{ decision: 'contain' }],
      },
    });
  });

  it('rejects a forged event with 400 and does nothing', async () => {
    const s = await azureStack();
    const forged = JSON.parse(
      (await import('node:fs')).readFileSync(
        'test/fixtures/azure/hostile/blob-url-disagrees-with-subject.json',
        'utf8',
      ),
    );
    const response = await alertHandler(s.getRuntime)(post('alert', forged), invocation().context);
    expect(response).toMatchObject({ status: 400, jsonBody: { decision: 'reject' } });
    expect(s.azure.requests).toEqual([]);
  });
});
