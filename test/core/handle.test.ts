import { describe, expect, it } from 'vitest';
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
    const { cloud, deps, setClock } = world();
    const first = exfiltrationAlert({ observedAt: '2026-11-25T09:59:00.000Z' });
    const [contained] = await handleParsedEvent({ kind: 'alerts', alerts: [first] }, deps);
    const incidentId = contained?.decision.incidentId ?? '';
    setClock('2026-11-25T11:00:00Z');
    await release({ incidentId, approver: 'alice', reason: 'false positive' }, deps);
    const applies = () => cloud.calls.filter((c) => c.op === 'apply').length;
    const before = applies();

    const [redelivered] = await handleParsedEvent({ kind: 'alerts', alerts: [first] }, deps);
    expect(redelivered?.report?.status).toBe('released');
    expect(applies()).toBe(before);

    setClock('2026-11-25T12:00:00Z');
    const again = exfiltrationAlert({ observedAt: '2026-11-25T11:30:00.000Z' });
    const [reopened] = await handleParsedEvent({ kind: 'alerts', alerts: [again] }, deps);
    expect(reopened?.decision.incidentId).toBe(`${incidentId}-g2`);
    expect(reopened?.report?.status).toBe('contained');
    expect(applies()).toBeGreaterThan(before);
  });
});
