import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { ActionError, IncidentInProgressError, IncidentNotFoundError } from '../../core/errors.ts';
import type { Executor } from '../../core/executor.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { respond } from '../../core/respond.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');

/** An alert, its decision and an empty in-memory cloud and journal. */
function fresh() {
  const alert = exfiltrationAlert();
  const decision = decide(alert, awsConfig(), { packs: PACKS, now });
  const cloud = fakeCloud();
  const store = memoryStore();
  const deps = {
    executors: cloud.executors,
    packs: PACKS,
    journal: incidentJournal(store),
    retry: instantRetry,
    now: () => now,
  };
  return { alert, decision, cloud, store, deps };
}

/** `fresh()`, contained: versioning was on before, every action applied. */
async function contained() {
  const { alert, decision, cloud, store, deps } = fresh();
  cloud.state.set('pin-objects|arn:aws:s3:::models-prod', 'versioning-was-on');
  const snapshot = new Map(cloud.state);
  await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
  const request = {
    incidentId: decision.incidentId ?? '',
    approver: 'alice@example.com',
    reason: 'false positive',
  };
  return { cloud, store, deps, request, snapshot };
}

describe('release', () => {
  it('undoes the revocation and quarantine from the recorded before-state and keeps evidence and notifications', async () => {
    // Prepare
    const { cloud, deps, request, snapshot } = await contained();
    // Act
    const { report, failure } = await release(request, deps);
    // Assess: what Tourniquet changed is undone; evidence and notifications are kept, and say so.
    expect([report.status, failure]).toEqual(['released', undefined]);
    expect(report.results.map((r) => [r.kind, r.outcome, r.skip])).toEqual([
      ['revoke-role-sessions', 'applied', undefined],
      ['quarantine-bucket', 'applied', undefined],
      ['pin-objects', 'skipped', 'kept'],
      ['copy-evidence', 'skipped', 'kept'],
      ['escalate', 'skipped', 'kept'],
    ]);
    expect(cloud.state.get('revoke-role-sessions|arn:aws:iam::111122223333:role/etl-job')).toBeUndefined();
    expect(cloud.state.get('quarantine-bucket|arn:aws:s3:::models-prod')).toBeUndefined();
    expect(cloud.state.get('pin-objects|arn:aws:s3:::models-prod')).not.toBe(
      snapshot.get('pin-objects|arn:aws:s3:::models-prod'),
    );
  });

  it('lifts evidence holds too when asked, restoring the recorded state', async () => {
    const { cloud, deps, request, snapshot } = await contained();
    await release({ ...request, includeEvidence: true }, deps);
    expect(cloud.state.get('pin-objects|arn:aws:s3:::models-prod')).toBe(
      snapshot.get('pin-objects|arn:aws:s3:::models-prod'),
    );
  });

  it('is idempotent: a second release changes nothing', async () => {
    // Prepare: released once.
    const { cloud, deps, request } = await contained();
    await release(request, deps);
    const undos = cloud.calls.filter((c) => c.op === 'undo').length;
    // Act
    const { report: again } = await release(request, deps);
    // Assess
    expect(again.status).toBe('already-released');
    expect(cloud.calls.filter((c) => c.op === 'undo')).toHaveLength(undos);
  });

  it('records who released and why in the journal', async () => {
    const { deps, request, store } = await contained();
    await release(request, deps);
    const key = `incidents/${request.incidentId}/journal/release/request-001.json`;
    expect(JSON.parse(store.objects.get(key) ?? '')).toMatchObject({
      approver: 'alice@example.com',
      reason: 'false positive',
    });
  });

  it('leaves as it was a state the incident found already in place', async () => {
    const alert = exfiltrationAlert();
    const decision = decide(alert, awsConfig(), { packs: PACKS, now });
    const cloud = fakeCloud();
    cloud.state.set('quarantine-bucket|arn:aws:s3:::models-prod', `quarantine-bucket:${decision.incidentId}`);
    const deps = {
      executors: cloud.executors,
      packs: PACKS,
      journal: incidentJournal(memoryStore()),
      retry: instantRetry,
      now: () => now,
    };
    await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
    await release({ incidentId: decision.incidentId ?? '', approver: 'a', reason: 'r' }, deps);
    expect(cloud.state.get('quarantine-bucket|arn:aws:s3:::models-prod')).toBe(
      `quarantine-bucket:${decision.incidentId}`,
    );
  });

  it('undoes an action that changed things and then failed', async () => {
    const { alert, decision, cloud, deps } = fresh();
    // The revocation lands, then the executor throws (a half-applied action, as when a later key fails).
    const real = cloud.executors['revoke-role-sessions'] as Executor;
    cloud.executors['revoke-role-sessions'] = {
      ...real,
      apply: async (action, before, ctx) => {
        await real.apply(action, before, ctx);
        throw new ActionError('second half failed');
      },
    };
    await respond({ decision, alert, trigger: { kind: 'alert' } }, deps).catch(() => {});
    expect(cloud.state.get('revoke-role-sessions|arn:aws:iam::111122223333:role/etl-job')).toBe(
      `revoke-role-sessions:${decision.incidentId}`,
    );
    const { report } = await release(
      { incidentId: decision.incidentId ?? '', approver: 'a', reason: 'r' },
      deps,
    );
    expect(report.results.find((r) => r.kind === 'revoke-role-sessions')?.outcome).toBe('applied');
    expect(cloud.state.get('revoke-role-sessions|arn:aws:iam::111122223333:role/etl-job')).toBeUndefined();
  });

  it('refuses while containment is still running elsewhere, and lets a later retry see the release', async () => {
    const { alert, decision, cloud, store, deps } = fresh();
    cloud.failNext('pin-objects', 1, () => new ActionError('AccessDenied'));
    await respond({ decision, alert, trigger: { kind: 'alert' } }, deps).catch(() => {});
    const id = decision.incidentId ?? '';
    // Another invocation has started attempt 2 of the pin and is still within its deadline.
    await store.create(
      `incidents/${id}/journal/contain/a3/002-before.json`,
      JSON.stringify({ actionId: 'a3', attempt: 2, deadline: '2026-11-25T10:10:00Z', before: {} }),
    );
    await expect(release({ incidentId: id, approver: 'a', reason: 'r' }, deps)).rejects.toThrow(
      IncidentInProgressError,
    );
  });

  it('is never undone by a late retry: a released incident is not resumed', async () => {
    const { alert, decision, cloud, deps } = fresh();
    cloud.failNext('pin-objects', 1, () => new ActionError('AccessDenied'));
    await respond({ decision, alert, trigger: { kind: 'alert' } }, deps).catch(() => {});
    await release({ incidentId: decision.incidentId ?? '', approver: 'a', reason: 'false positive' }, deps);
    const applies = cloud.calls.filter((c) => c.op === 'apply').length;
    const { report: retry } = await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
    expect(retry).toMatchObject({ status: 'released', releasedAt: now.toISOString() });
    expect(cloud.calls.filter((c) => c.op === 'apply')).toHaveLength(applies);
  });

  it('says clearly when the incident does not exist', async () => {
    const deps = { packs: PACKS, executors: {}, journal: incidentJournal(memoryStore()) };
    await expect(
      release({ incidentId: 'aws-guardduty-nope', approver: 'a', reason: 'r' }, deps),
    ).rejects.toThrow(IncidentNotFoundError);
  });
});
