import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { incidentJournal, journalRoot } from '../../core/journal.ts';
import { verifyChain } from '../../core/journal-chain.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { respond } from '../../core/respond.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');
const config = awsConfig();

/** A journal written by a real respond() and release() run: 5 actions, contained then released. */
async function journalOfARun() {
  const store = memoryStore();
  const alert = exfiltrationAlert();
  const decision = decide(alert, config, { now, packs: PACKS });
  const journal = incidentJournal(store);
  const deps = {
    executors: fakeCloud().executors,
    packs: PACKS,
    journal,
    retry: instantRetry,
    now: () => now,
    config,
  };
  const { report: contained } = await respond(
    { decision, alert, trigger: { kind: 'alert' }, event: { id: 'e' } },
    deps,
  );
  const { report: released } = await release(
    { incidentId: decision.incidentId as string, approver: 'alice', reason: 'false positive' },
    deps,
  );
  const id = decision.incidentId as string;
  const root = journalRoot(id);
  const entries = () => journal.entries(id);
  return { store, root, entries, contained, released, actions: decision.actions.length };
}

describe('the journal hash chain', () => {
  it('verifies a journal written by respond() and release(), with the head being the last seal', async () => {
    const { entries, contained, released, actions } = await journalOfARun();
    const verdict = verifyChain(await entries());

    expect(verdict).toMatchObject({ status: 'verified', problems: [], unsealed: [], seals: 2 });
    const undone = released.results.filter((r) => r.outcome !== 'skipped').length;
    // claim, event, before+after per action, release request, before+after per undone action, 2 seals
    expect(verdict.entries).toBe(2 + 2 * actions + 1 + 2 * undone + 2);
    expect(verdict.head).toBe(released.chainHead);
    expect(contained.chainHead).not.toBe(released.chainHead);
  });

  it('chains each after-entry to its before-entry and each first before-entry to the claim', async () => {
    const { entries } = await journalOfARun();
    const all = await entries();
    const hash = (key: string) => all.find((e) => e.key === key)?.sha256;
    const body = (key: string) => JSON.parse(all.find((e) => e.key === key)?.text ?? '{}');
    expect(body('contain/a1/001-before.json').prev).toBe(hash('incident.json'));
    expect(body('contain/a1/001-after.json').prev).toBe(hash('contain/a1/001-before.json'));
    expect(body('release/request-001.json').prev).toBe(hash('seals/001.json'));
    expect(body('release/a1/001-before.json').prev).toBe(hash('release/request-001.json'));
    expect(body('seals/002.json').prev).toBe(hash('seals/001.json'));
  });

  it.each([
    'incident.json',
    'event.json',
    'contain/a1/001-before.json',
    'contain/a2/001-after.json',
    'release/request-001.json',
    'release/a1/001-after.json',
  ])('names %s when one byte of it is changed', async (key) => {
    const { store, root, entries } = await journalOfARun();
    const text = store.objects.get(root + key) as string;
    const i = text.indexOf('"', text.length / 2);
    store.objects.set(root + key, `${text.slice(0, i)}'${text.slice(i + 1)}`);

    const verdict = verifyChain(await entries());

    expect(verdict.status).toBe('broken');
    expect(verdict.problems).toEqual([expect.objectContaining({ key })]);
  });

  it.each([
    'event.json',
    'contain/a1/001-before.json',
    'contain/a3/001-after.json',
    'release/request-001.json',
  ])('names %s when it is removed', async (key) => {
    const { store, root, entries } = await journalOfARun();
    store.objects.delete(root + key);

    const verdict = verifyChain(await entries());

    expect(verdict.status).toBe('broken');
    const seal = key.startsWith('release/') ? 'seals/002.json' : 'seals/001.json';
    expect(verdict.problems).toEqual([{ key, problem: `was removed (sealed in ${seal})` }]);
  });

  it('names the last seal when it is removed only by the head the pack printed', async () => {
    const { store, root, entries, released } = await journalOfARun();
    store.objects.delete(`${root}seals/002.json`);
    const verdict = verifyChain(await entries());
    // Without its newest seal the journal is consistent again, up to seal 1: the head moves back.
    expect(verdict.head).not.toBe(released.chainHead);
    expect(verdict.unsealed.length).toBeGreaterThan(0);
  });

  it('names both entries when two are swapped', async () => {
    const { store, root, entries } = await journalOfARun();
    const a = `${root}contain/a1/001-after.json`;
    const b = `${root}contain/a2/001-after.json`;
    const [ta, tb] = [store.objects.get(a) as string, store.objects.get(b) as string];
    store.objects.set(a, tb);
    store.objects.set(b, ta);

    const verdict = verifyChain(await entries());

    expect(verdict.problems.map((p) => p.key).sort()).toEqual([
      'contain/a1/001-after.json',
      'contain/a2/001-after.json',
    ]);
    expect(verdict.problems[0]?.problem).toMatch(/swapped \(reordered\)/);
  });

  it('names a removed seal in the middle of the chain', async () => {
    const { store, root, entries } = await journalOfARun();
    store.objects.delete(`${root}seals/001.json`);
    const verdict = verifyChain(await entries());
    expect(verdict.problems.map((p) => p.key)).toContain('seals/001.json');
  });

  it('loads a journal written before the chain and says it has none', async () => {
    const store = memoryStore();
    const root = journalRoot('old-1');
    await store.create(
      `${root}incident.json`,
      JSON.stringify({ incidentId: 'old-1', createdAt: now.toISOString(), decision: { actions: [] } }),
    );
    await store.create(
      `${root}contain/a1/001-before.json`,
      JSON.stringify({ actionId: 'a1', attempt: 1, at: now.toISOString(), deadline: now.toISOString() }),
    );
    const state = await incidentJournal(store).load('old-1');

    expect(state?.phases.contain.get('a1')?.attempts).toHaveLength(1);
    expect(verifyChain(state?.entries ?? [])).toMatchObject({ status: 'no-chain', head: null, problems: [] });
  });
});
