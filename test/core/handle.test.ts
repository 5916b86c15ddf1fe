import { describe, expect, it } from 'vitest';
import { ActionError, ContainmentFailedError } from '../../core/errors.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const config = awsConfig();

function world() {
  const cloud = fakeCloud();
  let clock = new Date('2026-11-25T10:00:00Z');
  const deps = {
    config,
    executors: cloud.executors,
    packs: PACKS,
    journal: incidentJournal(memoryStore()),
    retry: instantRetry,
    now: () => clock,
  };
  return { cloud, deps, setClock: (iso: string) => (clock = new Date(iso)) };
}

describe('handleParsedEvent after a release', () => {
  it('keeps a redelivery of the released finding released, and contains the same finding seen again later', async () => {
    // Prepare: contained, then released by a human an hour later.
    const { cloud, deps, setClock } = world();
    const first = exfiltrationAlert({ observedAt: '2026-11-25T09:59:00.000Z' });
    const {
      outcomes: [contained],
    } = await handleParsedEvent({ kind: 'alerts', alerts: [first] }, deps);
    const incidentId = contained?.decision.incidentId ?? '';
    setClock('2026-11-25T11:00:00Z');
    await release({ incidentId, approver: 'alice', reason: 'false positive' }, deps);
    const applies = () => cloud.calls.filter((c) => c.op === 'apply').length;
    const before = applies();

    // Act and Assess: the redelivery stays released…
    const {
      outcomes: [redelivered],
    } = await handleParsedEvent({ kind: 'alerts', alerts: [first] }, deps);
    expect(redelivered?.report?.status).toBe('released');
    expect(applies()).toBe(before);

    // …and the same finding, seen again after the release, is a new generation of the incident.
    setClock('2026-11-25T12:00:00Z');
    const again = exfiltrationAlert({ observedAt: '2026-11-25T11:30:00.000Z' });
    const {
      outcomes: [reopened],
    } = await handleParsedEvent({ kind: 'alerts', alerts: [again] }, deps);
    expect(reopened?.decision.incidentId).toBe(`${incidentId}-g2`);
    expect(reopened?.report?.status).toBe('contained');
    expect(applies()).toBeGreaterThan(before);
  });
});

describe('handleParsedEvent with failures', () => {
  it('returns every alert’s outcome and the failure as a value, throwing nothing', async () => {
    // Prepare: two findings; the quarantine of the first bucket is denied.
    const { cloud, deps } = world();
    cloud.failNext('quarantine-bucket', 1, () => new ActionError('AccessDenied on s3:PutBucketPolicy'));
    const alerts = [
      exfiltrationAlert({ id: 'finding-1', dedupeKey: 'aws:guardduty:111122223333:us-east-1:finding-1' }),
      exfiltrationAlert({ id: 'finding-2', dedupeKey: 'aws:guardduty:111122223333:us-east-1:finding-2' }),
    ];
    // Act
    const { outcomes, failure } = await handleParsedEvent({ kind: 'alerts', alerts }, deps);
    // Assess: both alerts handled, the failed one says why, and the failure is that one error.
    expect(outcomes.map((o) => [o.decision.decision, o.report?.status, o.error !== undefined])).toEqual([
      ['contain', 'contained', true],
      ['contain', 'contained', false],
    ]);
    expect(failure).toBeInstanceOf(ContainmentFailedError);
    expect(outcomes[0]?.error).toBe(`ContainmentFailedError: ${failure?.message}`);
  });

  it('aggregates the failures of several alerts into one AggregateError', async () => {
    const { cloud, deps } = world();
    cloud.failNext('escalate', 2, () => new ActionError('boom'));
    const alerts = ['f-1', 'f-2'].map((id) =>
      exfiltrationAlert({ id, dedupeKey: `aws:guardduty:111122223333:us-east-1:${id}` }),
    );
    const { outcomes, failure } = await handleParsedEvent({ kind: 'alerts', alerts }, deps);
    expect(outcomes.every((o) => o.error)).toBe(true);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors.map((e) => e.constructor)).toEqual([
      ContainmentFailedError,
      ContainmentFailedError,
    ]);
  });
});
