// The functions end to end: real events (test/fixtures/azure/README.md) in, containment through the
// core, the data plane on Azurite and ARM on a recording fake.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import { parseConfig } from '../../core/config.ts';
import type { ExecContext, Executor } from '../../core/executor.ts';
import { alertHandler } from '../../functions-azure/functions/alert-http.ts';
import { eventGridHandler } from '../../functions-azure/functions/event-grid.ts';
import { manualHandler } from '../../functions-azure/functions/manual-http.ts';
import { ATTACKER, WEIGHTS } from './support/config.ts';
import {
  azureStack,
  blobsIn,
  exfiltrationEvent,
  invocation,
  listKeysEvent,
  snapshotsIn,
} from './support/stack.ts';

const status = async (url: string) => (await fetch(url)).status;
const post = (route: string, body: unknown) =>
  new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/tourniquet/${route}`,
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
    headers: { 'content-type': 'application/json' },
  });

describe('Event Grid function', () => {
  it('contains a Defender exfiltration alert: account and container closed, evidence pinned and copied, journal written', async () => {
    const s = await azureStack();
    expect(await status(s.sas)).toBe(200);
    const { context, lines } = invocation();

    await eventGridHandler(s.getRuntime)(exfiltrationEvent(s.weights), context);

    expect(await status(s.sas)).toBe(403);
    expect(
      s.azure
        .mutating()
        .map((r) => [r.method, r.url.replace('https://management.azure.com', '')])
        .sort(),
    ).toEqual([
      ['PATCH', WEIGHTS],
      ['POST', `${WEIGHTS}/revokeUserDelegationKeys`],
    ]);
    expect(await snapshotsIn(s.weights)).toBe(1);
    const decision = lines.find((l) => l.msg === 'decision') as { incidentId: string; status: string };
    expect(decision).toMatchObject({
      decision: 'contain',
      status: 'contained',
      invocationId: context.invocationId,
    });
    const prefix = `incidents/${decision.incidentId}/`;
    const evidence = await blobsIn(s.evidence);
    expect(evidence).toEqual(
      expect.arrayContaining([
        `${prefix}journal/incident.json`,
        `${prefix}journal/event.json`,
        `${prefix}escalations/a5.json`,
        `${prefix}blobs/stweights/${s.weights.containerName}/checkpoints/model.safetensors`,
      ]),
    );
    const copy = await s.evidence
      .getBlobClient(`${prefix}blobs/stweights/${s.weights.containerName}/checkpoints/model.safetensors`)
      .downloadToBuffer();
    expect(copy.toString()).toBe('the-weights');
    expect(JSON.stringify(lines)).not.toContain('the-weights');
    expect(s.logged).toContainEqual(
      expect.objectContaining({ msg: 'tourniquet.escalation', incidentId: decision.incidentId }),
    );
    expect(s.logged).toContainEqual(
      expect.objectContaining({
        msg: 'evidence preflight',
        warning: expect.stringMatching(/no immutability policy/),
      }),
    );
  });

  it('repeats no effect on a duplicate delivery, nor under concurrent duplicates', async () => {
    const s = await azureStack();
    const event = exfiltrationEvent(s.weights);
    const deliveries = await Promise.allSettled(
      [1, 2, 3].map(() => eventGridHandler(s.getRuntime)(event, invocation().context)),
    );
    await eventGridHandler(s.getRuntime)(event, invocation().context);
    expect(deliveries.some((d) => d.status === 'fulfilled')).toBe(true);
    for (const d of deliveries)
      if (d.status === 'rejected')
        expect(String(d.reason)).toMatch(/still running elsewhere|already claimed/);
    expect(
      s.azure
        .mutating()
        .map((r) => r.method)
        .sort(),
    ).toEqual(['PATCH', 'POST']);
    expect(await snapshotsIn(s.weights)).toBe(1);
    expect((await blobsIn(s.evidence)).filter((n) => n.endsWith('journal/incident.json'))).toHaveLength(1);
  });

  it('changes nothing in dry-run mode: no ARM write, no snapshot, no journal', async () => {
    const s = await azureStack('dry-run');
    const { context, lines } = invocation();
    await eventGridHandler(s.getRuntime)(exfiltrationEvent(s.weights), context);
    expect(s.azure.mutating()).toEqual([]);
    expect(s.azure.requests).toEqual([]);
    expect(await snapshotsIn(s.weights)).toBe(0);
    expect(await blobsIn(s.evidence)).toEqual([]);
    expect(await status(s.sas)).toBe(200);
    expect(lines.find((l) => l.msg === 'decision')).toMatchObject({
      decision: 'contain',
      mode: 'dry-run',
      status: 'dry-run',
    });
  });

  it('revokes an attacker service principal seen listing keys (Event Grid resource event)', async () => {
    const s = await azureStack();
    await eventGridHandler(s.getRuntime)(listKeysEvent(), invocation().context);
    expect(
      s.azure.mutating().map((r) => [r.method, r.url.replace('https://management.azure.com', '')]),
    ).toEqual(
      expect.arrayContaining([
        [
          'DELETE',
          `${WEIGHTS}/providers/Microsoft.Authorization/roleAssignments/7c9e2f1a-3b4d-4e5f-8a6b-9c0d1e2f3a4b`,
        ],
      ]),
    );
    expect(s.azure.requests[0]?.url).toContain(`principalId eq '${ATTACKER}'`);
  });

  it('logs and drops a rejected event, and a validation handshake, without acting', async () => {
    const s = await azureStack();
    for (const event of [
      { eventType: 'x' },
      [
        {
          id: '1',
          topic: '',
          subject: '',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: '2026-11-25T10:00:00Z',
          data: { validationCode: 'abc' },
        },
      ],
    ]) {
      const { context, lines } = invocation();
      await eventGridHandler(s.getRuntime)(event, context);
      expect(lines[0]?.msg).toMatch(/^event (rejected|ignored)$/);
    }
    expect(s.azure.requests).toEqual([]);
  });

  it('fails closed with the reason when the configuration is invalid', async () => {
    const broken = async () => parseConfig({ azure: { tenantId: 'nope' } }) as never;
    const { context, lines } = invocation();
    await expect(
      eventGridHandler(broken)(exfiltrationEvent({ containerName: 'weights-x' } as never), context),
    ).rejects.toThrow(/not configured: ConfigError: invalid configuration/);
    expect(lines[0]).toMatchObject({ level: 'error', msg: expect.stringMatching(/configuration invalid/) });
  });
});

describe('HTTP manual function', () => {
  it('plans without touching anything', async () => {
    const s = await azureStack();
    const { context } = invocation('tourniquet-manual');
    const response = await manualHandler(s.getRuntime)(
      post('manual', { command: 'plan', event: exfiltrationEvent(s.weights) }),
      context,
    );
    expect(response.status).toBe(200);
    const body = response.jsonBody as { decisions: { decision: string; mode: string; actions: unknown[] }[] };
    expect(body.decisions[0]).toMatchObject({ decision: 'contain', mode: 'enforce' });
    expect(body.decisions[0]?.actions).toHaveLength(5);
    expect(s.azure.requests).toEqual([]);
    expect(await snapshotsIn(s.weights)).toBe(0);
  });

  it('contains by hand with an approver, then releases: the stored access policy and its SAS come back', async () => {
    const s = await azureStack();
    const target = {
      principal: `sp:${ATTACKER}`,
      stores: [`${WEIGHTS}/blobServices/default/containers/${s.weights.containerName}`],
    };
    const contain = {
      command: 'contain',
      target,
      incidentId: 'IR-2026-042',
      approver: 'alice@contoso.example',
      reason: 'weights exfiltration',
    };
    const contained = await manualHandler(s.getRuntime)(
      post('manual', contain),
      invocation('tourniquet-manual').context,
    );
    expect(contained.status).toBe(200);
    expect(await status(s.sas)).toBe(403);

    const release = {
      command: 'release',
      incidentId: 'IR-2026-042',
      approver: 'alice@contoso.example',
      reason: 'false positive',
    };
    const released = await manualHandler(s.getRuntime)(
      post('manual', release),
      invocation('tourniquet-manual').context,
    );
    expect(released.status).toBe(200);
    expect(released.jsonBody).toMatchObject({ command: 'release', report: { status: 'released' } });
    expect(await status(s.sas)).toBe(200);
    expect(
      s.azure
        .mutating()
        .filter((r) => r.method === 'PUT')
        .map((r) => r.url),
    ).toEqual([
      `https://management.azure.com${WEIGHTS}/providers/Microsoft.Authorization/roleAssignments/7c9e2f1a-3b4d-4e5f-8a6b-9c0d1e2f3a4b`,
    ]);
  });

  it.each([
    ['malformed JSON', '{"command": ', 400, /not JSON/],
    [
      'contain without approver and reason',
      { command: 'contain', target: { stores: [WEIGHTS] }, incidentId: 'IR-1' },
      400,
      /approver/,
    ],
    ['an unknown command', { command: 'nuke' }, 400, /invalid command/],
    [
      'a target that is not Azure',
      { command: 'plan', target: { stores: ['models-prod'] } },
      200,
      /stores\[0\]/,
    ],
    [
      'release of an unknown incident',
      { command: 'release', incidentId: 'IR-404', approver: 'a', reason: 'b' },
      404,
      /no journal/,
    ],
  ])('answers %s clearly, without a stack trace', async (_name, body, code, message) => {
    const s = await azureStack();
    const response = await manualHandler(s.getRuntime)(
      post('manual', body),
      invocation('tourniquet-manual').context,
    );
    expect(response.status).toBe(code);
    expect(JSON.stringify(response.jsonBody)).toMatch(message);
    expect(JSON.stringify(response.jsonBody)).not.toMatch(/\n\s+at /);
    expect(s.azure.mutating()).toEqual([]);
  });

  it('answers 500 with the configuration problem and does nothing', async () => {
    const broken = async () => {
      throw new Error('TOURNIQUET_CONFIG is empty or unset');
    };
    const response = await manualHandler(broken)(
      post('manual', { command: 'plan', target: { stores: [WEIGHTS] } }),
      invocation().context,
    );
    expect(response).toMatchObject({
      status: 500,
      jsonBody: { error: expect.stringMatching(/not configured, nothing was done: TOURNIQUET_CONFIG/) },
    });
  });

  it('answers 202 before the 230 s limit when containment runs long; the work finishes and is not repeated', async () => {
    const s = await azureStack();
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const executors = Object.fromEntries(
      Object.entries(s.runtime.deps.executors as Record<string, Executor>).map(([kind, e]) => [
        kind,
        {
          ...e,
          apply: (action: Action, before: unknown, ctx: ExecContext) =>
            gate.then(() => e.apply(action, before, ctx)),
        },
      ]),
    );
    const slow = { ...s.runtime, deps: { ...s.runtime.deps, executors } };
    const body = {
      command: 'contain',
      event: exfiltrationEvent(s.weights),
      incidentId: 'IR-SLOW-1',
      approver: 'a',
      reason: 'b',
    };

    const first = await manualHandler(async () => slow, 0)(post('manual', body), invocation().context);
    expect(first).toMatchObject({
      status: 202,
      jsonBody: { status: 'still running', incidentId: 'IR-SLOW-1' },
    });
    const meanwhile = await manualHandler(async () => slow)(post('manual', body), invocation().context);
    expect(meanwhile).toMatchObject({
      status: 409,
      jsonBody: { error: expect.stringMatching(/still running elsewhere/) },
    });

    open();
    await finished(s.runtime.deps.journal, 'IR-SLOW-1', 5);
    const after = await manualHandler(async () => slow)(post('manual', body), invocation().context);
    expect(after).toMatchObject({
      status: 200,
      jsonBody: { outcomes: [{ report: { status: 'duplicate' } }] },
    });
    expect(await snapshotsIn(s.weights)).toBe(1);
  });
});

/** Waits (without asserting on time) until every action of the incident has an after-entry. */
async function finished(
  journal: {
    load(
      id: string,
    ): Promise<{ phases: { contain: Map<string, { attempts: { after?: unknown }[] }> } } | undefined>;
  },
  id: string,
  actions: number,
) {
  for (;;) {
    const state = await journal.load(id);
    const done = [...(state?.phases.contain.values() ?? [])].filter((h) =>
      h.attempts.some((a) => a.after),
    ).length;
    if (done >= actions) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
