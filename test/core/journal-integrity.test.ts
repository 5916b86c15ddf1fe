import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { ContainmentFailedError, TransientError } from '../../core/errors.ts';
import { incidentJournal, type WriteOnceStore } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { JournalIntegrityError } from '../../core/plan-guard.ts';
import { release } from '../../core/release.ts';
import { respond } from '../../core/respond.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');
const config = awsConfig();

function setup(store: WriteOnceStore = memoryStore()) {
  const alert = exfiltrationAlert();
  const decision = decide(alert, config, { packs: PACKS, now });
  const cloud = fakeCloud();
  const deps = {
    executors: cloud.executors,
    packs: PACKS,
    journal: incidentJournal(store),
    retry: instantRetry,
    now: () => now,
    config,
  };
  const input = { decision, alert, trigger: { kind: 'alert' as const } };
  const root = `incidents/${decision.incidentId}/journal/`;
  return { alert, decision, cloud, deps, input, root, store };
}

describe('a journal that does not hold up', () => {
  it('is not resumed when its recorded plan writes an Allow, and nothing is changed', async () => {
    const { decision, cloud, deps, input, root, store } = setup(memoryStore());
    const forged = structuredClone(decision);
    const revoke = forged.actions[0] as { params: { policyDocument: { Statement: { Effect: string }[] } } };
    (revoke.params.policyDocument.Statement[0] as { Effect: string }).Effect = 'Allow';
    await store.create(
      `${root}incident.json`,
      JSON.stringify({ incidentId: decision.incidentId, decision: forged, alert: input.alert }),
    );
    await expect(respond(input, deps)).rejects.toThrow(JournalIntegrityError);
    expect(cloud.mutations()).toEqual([]);
  });

  it('is not resumed when its recorded plan copies evidence to another bucket', async () => {
    const { decision, cloud, deps, input, root, store } = setup(memoryStore());
    const forged = structuredClone(decision);
    const copy = forged.actions.find((a) => a.kind === 'copy-evidence') as {
      params: { evidenceBucket: string };
    };
    copy.params.evidenceBucket = 'attacker-drop-bucket';
    await store.create(
      `${root}incident.json`,
      JSON.stringify({ incidentId: decision.incidentId, decision: forged, alert: input.alert }),
    );
    await expect(respond(input, deps)).rejects.toThrow(/copies to attacker-drop-bucket/);
    expect(cloud.mutations()).toEqual([]);
  });

  it('is not released when an entry does not match its key (a forged attempt 000)', async () => {
    const { cloud, deps, input, root, store } = setup(memoryStore());
    await respond(input, deps);
    await store.create(
      `${root}contain/a1/000-before.json`,
      JSON.stringify({ actionId: 'a1', attempt: 0, before: { forged: true } }),
    );
    const undos = () => cloud.calls.filter((c) => c.op === 'undo');
    await expect(
      release({ incidentId: input.decision.incidentId ?? '', approver: 'a', reason: 'r' }, deps),
    ).rejects.toThrow(/000-before\.json does not match its own key/);
    expect(undos()).toEqual([]);
  });
});

describe('journal writes', () => {
  it('recognise their own write when the response was lost and the retry found the object', async () => {
    const inner = memoryStore();
    const lossy: WriteOnceStore = {
      ...inner,
      async create(key, body) {
        await inner.create(key, body);
        return !key.endsWith('a2/001-before.json'); // the write landed, the answer did not
      },
    };
    const { cloud, deps, input } = setup(lossy);
    const { report } = await respond(input, deps);
    expect(report.results.find((r) => r.actionId === 'a2')?.outcome).toBe('applied');
    expect(cloud.calls.filter((c) => c.op === 'apply' && c.kind === 'quarantine-bucket')).toHaveLength(1);
  });

  it('a failed claim write is raised, not left as an unhandled rejection, and nothing is changed', async () => {
    const failing: WriteOnceStore = {
      ...memoryStore(),
      create: async () => {
        throw new Error('AccessDenied on s3:PutObject');
      },
    };
    const { cloud, deps, input } = setup(failing);
    await expect(respond(input, deps)).rejects.toThrow(/AccessDenied/);
    expect(cloud.mutations()).toEqual([]);
  });
});

describe('the invocation deadline', () => {
  it('starts no change once it has passed, and asks for a retry', async () => {
    const { cloud, deps, input } = setup();
    const { failure } = await respond(input, { ...deps, deadline: new Date(now.getTime() - 1) });
    expect(failure).toBeInstanceOf(ContainmentFailedError);
    expect((failure as ContainmentFailedError).failures[0]?.error).toMatch(/past this invocation's deadline/);
    expect(cloud.mutations()).toEqual([]);
  });

  it('treats a throttled claim like any transient failure: raised for the platform to retry', async () => {
    const store = memoryStore();
    const { deps, input } = setup({
      ...store,
      create: async (key, body) => {
        if (key.endsWith('incident.json')) throw new TransientError('SlowDown');
        return store.create(key, body);
      },
    });
    await expect(respond(input, deps)).rejects.toThrow(TransientError);
  });
});
