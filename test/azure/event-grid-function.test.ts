import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { ActionError, ContainmentFailedError } from '../../core/errors.ts';
import { eventGridHandler } from '../../functions-azure/functions/event-grid.ts';
import { ATTACKER, WEIGHTS } from './support/config.ts';
import {
  azureStack,
  blobsIn,
  exfiltrationEvent,
  invocation,
  listKeysEvent,
  snapshotsIn,
  status,
  withFailing,
} from './support/stack.ts';

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

  it('tells humans in lines a phone reads: the log line an alert fires on, and each webhook of azure.notify', async () => {
    // Prepare: two webhooks, one of them down.
    const posted: { url: string; body: Record<string, unknown> }[] = [];
    const post = async (url: string, init: { body: string }) => {
      posted.push({ url, body: JSON.parse(init.body) });
      if (url.includes('down')) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TypeError' });
      return { status: 200 };
    };
    const webhooks = ['https://hooks.example/services/T0/B1/secret', 'https://down.example/hook'];
    const s = await azureStack('enforce', { notify: { webhooks } }, {}, { post });
    const { context } = invocation();
    // Act
    await eventGridHandler(s.getRuntime)(exfiltrationEvent(s.weights), context);
    // Assess: the same text everywhere, what was done in it; a webhook down is named, not fatal.
    const logged = s.logged.find((l) => l.msg === 'tourniquet.escalation') as {
      summary: string;
      incidentId: string;
    };
    expect(logged.summary.split('\n')).toEqual([
      `Tourniquet CONTAINED ${logged.incidentId}: Storage.Blob_DataExfiltration.AmountOfDataAnomaly`,
      expect.stringMatching(
        /^What happened: Storage\.Blob_DataExfiltration\.AmountOfDataAnomaly, severity \d+, by /,
      ),
      expect.stringMatching(
        /^Done: closed stweights \(quarantine-storage-account\); closed \S+ \(quarantine-container\)/,
      ),
      expect.stringMatching(/^Not done: /),
      `Act: tourniquet incidents show ${logged.incidentId}`,
      expect.stringMatching(/^Evidence pack: .*\/incidents\/.*\/pack\/$/),
    ]);
    expect(posted.map((p) => [p.url, p.body.text])).toEqual(webhooks.map((url) => [url, logged.summary]));
    const record = JSON.parse(
      (
        await s.evidence
          .getBlobClient(`incidents/${logged.incidentId}/journal/contain/a5/001-after.json`)
          .downloadToBuffer()
      ).toString(),
    );
    expect(record.details.webhooks).toEqual([
      { host: 'hooks.example', status: 200 },
      { host: 'down.example', status: 'TypeError' },
    ]);
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
        expect(String(d.reason)).toMatch(/still running elsewhere|held elsewhere|already claimed/);
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

  it('throws a failed containment after logging every outcome, so Event Grid retries; the cause is kept', async () => {
    // Prepare: the storage account quarantine is denied.
    const s = await azureStack();
    const denied = withFailing(
      s.runtime,
      'quarantine-storage-account',
      new ActionError('AuthorizationFailed'),
    );
    const { context, lines } = invocation();
    // Act
    const error = await eventGridHandler(async () => denied)(exfiltrationEvent(s.weights), context).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^ContainmentFailedError: .*a1 quarantine-storage-account/);
    expect((error as Error).cause).toBeInstanceOf(ContainmentFailedError);
    expect(lines.map((l) => l.msg)).toEqual(['decision', 'containment incomplete: Event Grid will retry']);
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
