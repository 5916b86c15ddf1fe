/**
 * A growing finding (GuardDuty attack sequence): each update is its own incident, and what an
 * earlier update already acted on is not acted on again (core/series.ts). The updates are the
 * documented fixtures, through the real parser.
 */
import { describe, expect, it } from 'vitest';
import { handleParsedEvent } from '../../core/handle.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { fixture } from '../aws/events/fixtures.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
const user = (n: string) => `arn:aws:iam::${ACCOUNT}:user/${n}`;
const s3 = (b: string) => `arn:aws:s3:::${b}`;
const first = () => parseAwsEvent(fixture('events', 'guardduty-attack-sequence-s3.json'));
const grown = () => parseAwsEvent(fixture('events', 'guardduty-attack-sequence-s3-grown.json'));

function world(mode: 'enforce' | 'dry-run' = 'enforce') {
  const cloud = fakeCloud();
  const store = memoryStore();
  const deps = {
    config: awsConfig({ mode }),
    executors: cloud.executors,
    packs: PACKS,
    journal: incidentJournal(store),
    retry: instantRetry,
    now: () => new Date('2026-11-27T04:00:00Z'),
  };
  const run = async (parsed: ReturnType<typeof first>) => {
    const { outcomes, failure } = await handleParsedEvent(parsed, deps);
    expect(failure).toBeUndefined();
    const [o] = outcomes;
    return {
      decision: o?.decision,
      status: o?.report?.status,
      plan: o?.decision.actions.map((a) => [a.kind, a.target]),
    };
  };
  return { cloud, deps, store, run };
}

describe('a growing attack sequence', () => {
  it('contains only what the grown update adds: the new actor and the new bucket', async () => {
    // Prepare: the first update contained.
    const { cloud, run } = world();
    const one = await run(first());
    expect(one.plan).toEqual([
      ['revoke-role-sessions', role('llm-finetune-role')],
      ['quarantine-bucket', s3('models-prod')],
      ['pin-objects', s3('models-prod')],
      ['copy-evidence', s3('models-prod')],
      ['escalate', role('llm-finetune-role')],
    ]);

    // Act: the sequence grows by one actor and one bucket.
    const two = await run(grown());

    // Assess: a second incident, planning only what is new.
    expect(two.decision?.incidentId).not.toBe(one.decision?.incidentId);
    expect(two.plan).toEqual([
      ['revoke-user-sessions', user('dev-alice')],
      ['deactivate-access-keys', user('dev-alice')],
      ['deactivate-bedrock-api-keys', user('dev-alice')],
      ['quarantine-bucket', s3('training-data')],
      ['pin-objects', s3('training-data')],
      ['copy-evidence', s3('training-data')],
      ['escalate', user('dev-alice')],
    ]);
    expect(two.decision?.reason).toContain(
      `already handled by incident ${one.decision?.incidentId}: ${role('llm-finetune-role')}, ${s3('models-prod')}`,
    );
    const quarantines = cloud
      .mutations()
      .filter((c) => c.kind === 'quarantine-bucket')
      .map((c) => c.target);
    expect(quarantines).toEqual([s3('models-prod'), s3('training-data')]);
  });

  it('repeats nothing on redeliveries of either update, in any order', async () => {
    const { cloud, run } = world();
    await run(first());
    await run(grown());
    const applied = cloud.mutations().length;
    const again = [await run(grown()), await run(first()), await run(grown())];
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(cloud.mutations()).toHaveLength(applied);
  });

  it('an update that adds nothing new does nothing', async () => {
    const { cloud, run } = world();
    await run(first());
    const applied = cloud.mutations().length;
    const later = fixture('events', 'guardduty-attack-sequence-s3.json');
    later.detail.updatedAt = '2026-11-27T03:05:00.000Z';
    const same = await run(parseAwsEvent(later));
    expect(same.decision).toMatchObject({
      decision: 'ignore',
      reason: expect.stringMatching(
        /^every actor and resource of this update was already handled by incident aws-guardduty-/,
      ),
    });
    expect(cloud.mutations()).toHaveLength(applied);
  });

  it('two updates delivered at once take each target once', async () => {
    const { cloud, run } = world();
    await Promise.all([run(first()), run(grown())]);
    const byTarget = (kind: string) =>
      cloud
        .mutations()
        .filter((c) => c.kind === kind)
        .map((c) => c.target)
        .sort();
    expect(byTarget('revoke-role-sessions')).toEqual([role('llm-finetune-role')]);
    expect(byTarget('quarantine-bucket')).toEqual([s3('models-prod'), s3('training-data')]);
  });

  it('in dry-run claims nothing and shows the whole set', async () => {
    const { store, run } = world('dry-run');
    const two = await run(grown());
    expect(two.plan?.filter(([k]) => k === 'quarantine-bucket')).toHaveLength(2);
    expect(await store.list('incidents/')).toEqual([]);
  });
});
