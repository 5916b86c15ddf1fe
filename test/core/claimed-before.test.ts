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

/** The reference alert with its revocation's before-state known by construction (as on AWS). */
function setup() {
  const alert = exfiltrationAlert();
  const decision = decide(alert, config, { packs: PACKS, now });
  const cloud = fakeCloud({ claimedKinds: ['revoke-role-sessions'] });
  const store = memoryStore();
  const journal = incidentJournal(store);
  const deps = {
    executors: cloud.executors,
    packs: PACKS,
    journal,
    retry: instantRetry,
    now: () => now,
    config,
  };
  const input = { decision, alert, trigger: { kind: 'alert' as const } };
  const id = decision.incidentId as string;
  const revoke = decision.actions.find((a) => a.kind === 'revoke-role-sessions');
  if (!revoke) throw new Error('the reference plan revokes a role');
  const key = (rel: string) => `${journalRoot(id)}${rel}`;
  const json = (rel: string) => JSON.parse(store.objects.get(key(rel)) ?? 'null');
  return { decision, cloud, store, journal, deps, input, id, revoke, key, json };
}

describe('a before-state known by construction, recorded in the claim', () => {
  it('is in the claim, and the first attempt neither reads nor writes a before-entry', async () => {
    // Prepare
    const { cloud, deps, input, revoke, store, key, json } = setup();
    // Act
    const { report, failure } = await respond(input, deps);
    // Assess: one change, no read of the revoked target, the claim as the before-entry.
    expect([report.status, failure]).toEqual(['contained', undefined]);
    const onTarget = cloud.calls.filter((c) => c.kind === 'revoke-role-sessions');
    expect(onTarget.map((c) => c.op)).toEqual(['apply']);
    expect(json('incident.json').befores).toEqual({
      [revoke.id]: { before: { state: undefined }, deadline: '2026-11-25T10:15:00.000Z' },
    });
    expect(store.objects.has(key(`contain/${revoke.id}/001-before.json`))).toBe(false);
    expect(json(`contain/${revoke.id}/001-after.json`)).toMatchObject({ attempt: 1, outcome: 'applied' });
    // The other actions still read and record before they change.
    const quarantine = input.decision.actions.find((a) => a.kind === 'quarantine-bucket');
    expect(store.objects.has(key(`contain/${quarantine?.id}/001-before.json`))).toBe(true);
  });

  it('changes nothing before the claim is written, and nothing at all when the claim was taken earlier', async () => {
    // Prepare: a claim written by an earlier delivery (its plan: the same decision).
    const first = setup();
    await respond(first.input, first.deps);
    const applied = first.cloud.mutations().length;
    // Act: a second delivery with the claim already there.
    const { report } = await respond(first.input, first.deps);
    // Assess
    expect(report.status).toBe('duplicate');
    expect(first.cloud.mutations()).toHaveLength(applied);
  });

  it('chains the after-entry to the claim, and verify still names a changed, removed or reordered entry', async () => {
    // Prepare
    const { deps, input, revoke, journal, id, store, key } = setup();
    await respond(input, deps);
    const hash = async (rel: string) => (await journal.entries(id)).find((e) => e.key === rel)?.sha256;
    // Assess: verified as written; the after-entry follows the claim.
    const after = `contain/${revoke.id}/001-after.json`;
    expect(JSON.parse(store.objects.get(key(after)) ?? '').prev).toBe(await hash('incident.json'));
    expect(verifyChain(await journal.entries(id))).toMatchObject({ status: 'verified', problems: [] });
    // Act + Assess: changed
    const text = store.objects.get(key(after)) ?? '';
    store.objects.set(key(after), text.replace('"applied"', '"failed"'));
    expect(verifyChain(await journal.entries(id)).problems.map((p) => p.key)).toEqual([after]);
    // removed
    store.objects.delete(key(after));
    expect(verifyChain(await journal.entries(id)).problems).toEqual([
      { key: after, problem: 'was removed (sealed in seals/001.json)' },
    ]);
    // reordered: the revocation's after-entry swapped with another action's
    store.objects.set(key(after), text);
    const other = `contain/${input.decision.actions.find((a) => a.kind === 'quarantine-bucket')?.id}/001-after.json`;
    const otherText = store.objects.get(key(other)) ?? '';
    store.objects.set(key(after), otherText);
    store.objects.set(key(other), text);
    expect(
      verifyChain(await journal.entries(id))
        .problems.map((p) => p.key)
        .sort(),
    ).toEqual([after, other].sort());
  });

  it('resumes an attempt abandoned after the change from the claimed before-state, and release undoes it', async () => {
    // Prepare: the first delivery changed the target and died before its after-entry.
    const { cloud, deps, input, revoke, store, key, journal, id } = setup();
    const late = { ...deps, now: () => new Date('2026-11-25T10:20:00Z') };
    await respond(input, deps);
    store.objects.delete(key(`contain/${revoke.id}/001-after.json`));
    // Act: the redelivery, past the first attempt's deadline, then a release.
    const resumed = await respond(input, late);
    const released = await release({ incidentId: id, approver: 'alice', reason: 'drill' }, late);
    // Assess: attempt 2 read the target (it was changed already) and followed the claim in the chain.
    expect(resumed.report.status).toBe('resumed');
    expect(JSON.parse(store.objects.get(key(`contain/${revoke.id}/002-before.json`)) ?? '')).toMatchObject({
      attempt: 2,
      before: { state: `revoke-role-sessions:${id}` },
    });
    expect(released.failure).toBeUndefined();
    // Release restores what the claim recorded: nothing there before.
    expect(cloud.state.has(`revoke-role-sessions|${revoke.target}`)).toBe(false);
    const verdict = verifyChain(await journal.entries(id));
    // The lost after-entry of attempt 1 was sealed by the first run: verify names it, and nothing else.
    expect(verdict.problems).toEqual([
      { key: `contain/${revoke.id}/001-after.json`, problem: 'was removed (sealed in seals/001.json)' },
    ]);
  });

  it('treats a before-entry planted for a claimed attempt as tampering: nothing resumes such a journal', async () => {
    // Prepare: a well-formed before-entry for attempt 1, which nothing writes when the claim records it.
    const { deps, input, revoke, store, key, journal, id } = setup();
    await respond(input, deps);
    store.objects.delete(key(`contain/${revoke.id}/001-after.json`));
    const planted = {
      actionId: revoke.id,
      attempt: 1,
      before: { state: 'x' },
      deadline: '2026-11-25T10:15:00Z',
    };
    store.objects.set(key(`contain/${revoke.id}/001-before.json`), JSON.stringify(planted));
    // Act
    const state = await journal.load(id);
    const redelivery = respond(input, { ...deps, now: () => new Date('2026-11-25T10:20:00Z') });
    // Assess
    expect(state?.anomalies).toEqual([
      `contain/${revoke.id}/001-before.json exists although the claim is its before-entry`,
    ]);
    await expect(redelivery).rejects.toThrow(/fails its checks/);
  });
});
