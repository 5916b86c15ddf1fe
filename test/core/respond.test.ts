import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { ActionError, ContainmentFailedError, IncidentInProgressError } from '../../core/errors.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { respond } from '../../core/respond.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');

function setup(mode: 'enforce' | 'dry-run' = 'enforce') {
  const alert = exfiltrationAlert();
  const decision = decide(alert, awsConfig({ mode }), { packs: PACKS, now });
  const cloud = fakeCloud();
  const store = memoryStore();
  const deps = {
    executors: cloud.executors,
    packs: PACKS,
    journal: incidentJournal(store),
    retry: instantRetry,
    now: () => now,
  };
  const input = { decision, alert, trigger: { kind: 'alert' as const }, event: { id: 'evt-1' } };
  return { alert, decision, cloud, store, deps, input };
}

describe('respond', () => {
  it('applies every action once and journals before-state, inverse and outcome around each change', async () => {
    // Prepare
    const { decision, cloud, store, deps, input } = setup();
    // Act
    const { report, failure } = await respond(input, deps);
    // Assess: every action applied once; the claim, the event and each before/after journaled.
    expect([report.status, failure]).toEqual(['contained', undefined]);
    expect(report.results.map((r) => r.outcome)).toEqual(decision.actions.map(() => 'applied'));
    expect(cloud.mutations()).toHaveLength(decision.actions.length);
    const root = `incidents/${decision.incidentId}/journal/`;
    expect(JSON.parse(store.objects.get(`${root}incident.json`) ?? '')).toMatchObject({
      incidentId: decision.incidentId,
      trigger: { kind: 'alert' },
      decision: { decision: 'contain', actions: decision.actions },
    });
    expect(JSON.parse(store.objects.get(`${root}event.json`) ?? '')).toEqual({ id: 'evt-1' });
    const before = JSON.parse(store.objects.get(`${root}contain/a2/001-before.json`) ?? '');
    expect(before).toMatchObject({
      actionId: 'a2',
      kind: 'quarantine-bucket',
      before: {},
      inverse: expect.stringContaining('remove statement'),
    });
    const after = JSON.parse(store.objects.get(`${root}contain/a2/001-after.json`) ?? '');
    expect(after).toMatchObject({ actionId: 'a2', attempt: 1, outcome: 'applied' });
  });

  it('starts evidence copies only after the pin they need, with its result', async () => {
    const { cloud, deps, input, decision } = setup();
    const { report } = await respond(input, deps);
    const applies = cloud.calls.filter((c) => c.op === 'apply').map((c) => c.kind);
    expect(applies.indexOf('copy-evidence')).toBeGreaterThan(applies.indexOf('pin-objects'));
    const copy = report.results.find((r) => r.kind === 'copy-evidence');
    const pin = decision.actions.find((a) => a.kind === 'pin-objects');
    expect(copy?.details).toEqual({ deps: [pin?.id] });
  });

  it('repeats no effect on a duplicate delivery', async () => {
    // Prepare: delivered and contained once.
    const { cloud, deps, input } = setup();
    await respond(input, deps);
    const after1 = cloud.mutations().length;
    // Act: the same delivery again.
    const { report } = await respond(input, deps);
    // Assess
    expect(report.status).toBe('duplicate');
    expect(cloud.mutations()).toHaveLength(after1);
  });

  it('applies each action exactly once under concurrent duplicate deliveries', async () => {
    const { cloud, deps, input, decision } = setup();
    const settled = await Promise.allSettled(Array.from({ length: 6 }, () => respond(input, deps)));
    const applies = cloud.calls.filter((c) => c.op === 'apply');
    expect(applies).toHaveLength(decision.actions.length);
    // Each delivery finished the work, or says another one holds it: returned, or thrown when it
    // could not even start.
    for (const s of settled) {
      const failure = s.status === 'rejected' ? s.reason : s.value.failure;
      if (failure) expect(failure).toBeInstanceOf(IncidentInProgressError);
    }
  });

  it('retries throttling with backoff and reports the attempts', async () => {
    const { cloud, deps, input } = setup();
    cloud.failNext('quarantine-bucket', 2);
    const { report } = await respond(input, deps);
    expect(report.results.find((r) => r.kind === 'quarantine-bucket')).toMatchObject({
      outcome: 'applied',
      attempts: 4,
    });
  });

  it('runs every other action when one fails, returns the failure at the end, and a redelivery retries only what failed', async () => {
    // Prepare: pinning is denied once.
    const { cloud, deps, input, store, decision } = setup();
    cloud.failNext('pin-objects', 1, () => new ActionError('AccessDenied on s3:PutBucketVersioning'));
    // Act
    const { report, failure } = await respond(input, deps);
    // Assess: the others ran; the pin and the copy that needs it are the failure, as a value.
    expect(failure).toBeInstanceOf(ContainmentFailedError);
    expect((failure as ContainmentFailedError).failures.map((f) => f.kind)).toEqual([
      'pin-objects',
      'copy-evidence',
    ]);
    expect(report.results.map((r) => [r.kind, r.outcome, r.skip])).toEqual([
      ['revoke-role-sessions', 'applied', undefined],
      ['quarantine-bucket', 'applied', undefined],
      ['pin-objects', 'failed', undefined],
      ['copy-evidence', 'skipped', 'dependency-failed'],
      ['escalate', 'applied', undefined],
    ]);
    const before = cloud.mutations().length;
    const { report: retry } = await respond(input, deps);
    expect(retry.status).toBe('resumed');
    expect(
      cloud
        .mutations()
        .slice(before)
        .map((c) => c.kind),
    ).toEqual(['pin-objects', 'copy-evidence']);
    expect(store.objects.has(`incidents/${decision.incidentId}/journal/contain/a3/002-after.json`)).toBe(
      true,
    );
  });

  it('follows the recorded plan on redelivery even when the new decision differs', async () => {
    const { cloud, deps, input } = setup();
    cloud.failNext('escalate', 1, () => new ActionError('boom'));
    await respond(input, deps).catch(() => {});
    const later = decide(input.alert, awsConfig(), { packs: PACKS, now: new Date('2026-11-26T00:00:00Z') });
    const { report } = await respond({ ...input, decision: later }, deps);
    expect(report.results.find((r) => r.kind === 'revoke-role-sessions')?.outcome).toBe('applied');
    expect(cloud.mutations().filter((c) => c.kind === 'revoke-role-sessions')).toHaveLength(1);
  });

  it('makes zero calls and writes no journal in dry-run', async () => {
    const { cloud, deps, input, store } = setup('dry-run');
    const { report } = await respond(input, deps);
    expect(report.status).toBe('dry-run');
    expect(new Set(report.results.map((r) => r.outcome))).toEqual(new Set(['skipped-dry-run']));
    expect(cloud.calls).toEqual([]);
    expect(store.objects.size).toBe(0);
  });

  it('leaves an action held by a live invocation alone, and takes it over once that invocation is past its deadline', async () => {
    const { cloud, deps, input, decision, store } = setup();
    const id = decision.incidentId;
    await store.create(
      `incidents/${id}/journal/incident.json`,
      JSON.stringify({ incidentId: id, decision, alert: input.alert }),
    );
    await store.create(
      `incidents/${id}/journal/contain/a1/001-before.json`,
      JSON.stringify({ actionId: 'a1', attempt: 1, deadline: '2026-11-25T10:05:00Z', before: {} }),
    );
    await expect(respond(input, deps)).rejects.toBeInstanceOf(IncidentInProgressError);
    expect(cloud.mutations()).toEqual([]);
    const later = { ...deps, now: () => new Date('2026-11-25T10:06:00Z') };
    const { report } = await respond(input, later);
    expect(report.status).toBe('resumed');
    expect(store.objects.has(`incidents/${id}/journal/contain/a1/002-before.json`)).toBe(true);
  });
});
