import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { IncidentNotFoundError } from '../../core/errors.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { respond } from '../../core/respond.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');

async function contained() {
  const alert = exfiltrationAlert();
  const decision = decide(alert, awsConfig(), { now });
  const cloud = fakeCloud();
  cloud.state.set('pin-objects|arn:aws:s3:::models-prod', 'versioning-was-on');
  const store = memoryStore();
  const deps = {
    executors: cloud.executors,
    journal: incidentJournal(store),
    retry: instantRetry,
    now: () => now,
  };
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
    const { cloud, deps, request, snapshot } = await contained();
    const report = await release(request, deps);
    expect(report.status).toBe('released');
    expect(report.results.map((r) => [r.kind, r.outcome])).toEqual([
      ['revoke-role-sessions', 'applied'],
      ['quarantine-bucket', 'applied'],
      ['pin-objects', 'skipped'],
      ['copy-evidence', 'skipped'],
      ['escalate', 'skipped'],
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
    const { cloud, deps, request } = await contained();
    await release(request, deps);
    const undos = cloud.calls.filter((c) => c.op === 'undo').length;
    const again = await release(request, deps);
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

  it('does not undo what an incident found already in place', async () => {
    const alert = exfiltrationAlert();
    const decision = decide(alert, awsConfig(), { now });
    const cloud = fakeCloud();
    cloud.state.set('quarantine-bucket|arn:aws:s3:::models-prod', `quarantine-bucket:${decision.incidentId}`);
    const deps = {
      executors: cloud.executors,
      journal: incidentJournal(memoryStore()),
      retry: instantRetry,
      now: () => now,
    };
    await respond({ decision, alert, trigger: { kind: 'alert' } }, deps);
    const report = await release({ incidentId: decision.incidentId ?? '', approver: 'a', reason: 'r' }, deps);
    expect(report.results.find((r) => r.kind === 'quarantine-bucket')?.outcome).toBe('skipped');
    expect(cloud.state.get('quarantine-bucket|arn:aws:s3:::models-prod')).toBe(
      `quarantine-bucket:${decision.incidentId}`,
    );
  });

  it('says clearly when the incident does not exist', async () => {
    const deps = { executors: {}, journal: incidentJournal(memoryStore()) };
    await expect(
      release({ incidentId: 'aws-guardduty-nope', approver: 'a', reason: 'r' }, deps),
    ).rejects.toThrow(IncidentNotFoundError);
  });
});
