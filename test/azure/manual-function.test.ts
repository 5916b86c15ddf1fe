// The manual HTTP function end to end: documented events (test/fixtures/azure/README.md) and explicit
// targets in, containment and release through the core, the data plane on Azurite, ARM on a recording fake.
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import { ActionError } from '../../core/errors.ts';
import type { ExecContext, Executor } from '../../core/executor.ts';
import { manualHandler } from '../../functions-azure/functions/manual-http.ts';
import { ATTACKER, WEIGHTS } from './support/config.ts';
import {
  azureStack,
  exfiltrationEvent,
  invocation,
  post,
  snapshotsIn,
  status,
  withFailing,
} from './support/stack.ts';

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

  it('refuses a contain that reuses a released incident id (400, choose a new id) and changes nothing', async () => {
    const s = await azureStack();
    const contain = {
      command: 'contain',
      target: {
        principal: `sp:${ATTACKER}`,
        stores: [`${WEIGHTS}/blobServices/default/containers/${s.weights.containerName}`],
      },
      incidentId: 'IR-2026-043',
      approver: 'alice@contoso.example',
      reason: 'weights exfiltration',
    };
    const run = (body: unknown) => manualHandler(s.getRuntime)(post('manual', body), invocation('m').context);
    expect((await run(contain)).status).toBe(200);
    const release = { ...contain, command: 'release', reason: 'false positive' };
    delete (release as { target?: unknown }).target;
    expect((await run(release)).status).toBe(200);
    const changes = s.azure.mutating().length;
    const again = await run(contain);
    expect(again.status).toBe(400);
    expect(again.jsonBody).toMatchObject({
      error: expect.stringMatching(/incident IR-2026-043 was released at .*: choose a new id/),
    });
    expect(s.azure.mutating().length).toBe(changes);
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

  it('answers 502 with the failed actions and the run’s report when a change is refused', async () => {
    // Prepare: the container quarantine is denied.
    const s = await azureStack();
    const denied = withFailing(s.runtime, 'quarantine-container', new ActionError('AuthorizationFailed'));
    const body = {
      command: 'contain',
      event: exfiltrationEvent(s.weights),
      incidentId: 'IR-DENIED-1',
      approver: 'a',
      reason: 'b',
    };
    // Act
    const response = await manualHandler(async () => denied)(post('manual', body), invocation().context);
    // Assess: the failure names the action; the report has every action's result.
    expect(response).toMatchObject({
      status: 502,
      jsonBody: {
        error: expect.stringMatching(/IR-DENIED-1: 1 action\(s\) failed: a2 quarantine-container/),
        failures: [
          { actionId: 'a2', kind: 'quarantine-container', error: 'ActionError: AuthorizationFailed' },
        ],
        report: { incidentId: 'IR-DENIED-1', status: 'contained' },
      },
    });
    const report = (response.jsonBody as { report: { results: { kind: string; outcome: string }[] } }).report;
    expect(report.results.map((r) => [r.kind, r.outcome])).toEqual([
      ['quarantine-storage-account', 'applied'],
      ['quarantine-container', 'failed'],
      ['snapshot-blobs', 'applied'],
      ['copy-blob-evidence', 'applied'],
      ['escalate', 'applied'],
    ]);
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
      Object.entries(s.runtime.deps().executors as Record<string, Executor>).map(([kind, e]) => [
        kind,
        {
          ...e,
          apply: (action: Action, before: unknown, ctx: ExecContext) =>
            gate.then(() => e.apply(action, before, ctx)),
        },
      ]),
    );
    const slow = { ...s.runtime, deps: (extra = {}) => ({ ...s.runtime.deps(extra), executors }) };
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
    await finished(s.runtime.deps().journal, 'IR-SLOW-1', 5);
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
