/**
 * Found by the fault-injection soak (test/soak): a redelivery that read the journal before a
 * release was requested went on to contain again what the release had just restored.
 */
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import { decide } from '../../core/decide.ts';
import { ActionError } from '../../core/errors.ts';
import type { Executor, ExecutorRegistry } from '../../core/executor.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { respond } from '../../core/respond.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');

describe('release racing a redelivery', () => {
  it('a retry that read the journal before the release changes nothing after it', async () => {
    // Prepare: the first delivery's quarantine fails, so a redelivery retries it.
    const alert = exfiltrationAlert();
    const decision = decide(alert, awsConfig(), { packs: PACKS, now });
    const cloud = fakeCloud();
    const deps = {
      executors: cloud.executors,
      packs: PACKS,
      journal: incidentJournal(memoryStore()),
      retry: instantRetry,
      now: () => now,
    };
    const input = { decision, alert, trigger: { kind: 'alert' as const } };
    cloud.failNext('quarantine-bucket', 1, () => new ActionError('AccessDenied: not yet'));
    expect((await respond(input, deps)).failure).toBeDefined();
    const quarantine = decision.actions.find((a) => a.kind === 'quarantine-bucket') as Action;
    expect(cloud.state.get(`quarantine-bucket|${quarantine.target}`)).toBeUndefined();

    // The redelivery reads the journal (resume), then stalls reading the bucket while a human releases.
    let reached = () => {};
    const atRead = new Promise<void>((r) => {
      reached = r;
    });
    let go = () => {};
    const gate = new Promise<void>((r) => {
      go = r;
    });
    const inner = cloud.executors['quarantine-bucket'] as Executor;
    let reads = 0;
    const stalled: Executor = {
      ...inner,
      async read(action, ctx) {
        // The first read races the claim (and finds it taken); the second is the resume's.
        if (++reads === 2) {
          reached();
          await gate;
        }
        return inner.read(action, ctx);
      },
    };
    const executors = { ...cloud.executors, 'quarantine-bucket': stalled } as Partial<ExecutorRegistry>;
    const redelivery = respond(input, { ...deps, executors });
    await atRead;
    const released = await release(
      { incidentId: decision.incidentId ?? '', approver: 'a', reason: 'r' },
      deps,
    );
    expect([released.report.status, released.failure]).toEqual(['released', undefined]);
    go();
    const { report } = await redelivery;

    // Assess: the retried quarantine did not start; the bucket stays as the release left it.
    expect(report.results.find((r) => r.actionId === quarantine.id)).toMatchObject({
      outcome: 'skipped',
      skip: 'released',
    });
    expect(cloud.state.get(`quarantine-bucket|${quarantine.target}`)).toBeUndefined();
    expect(cloud.mutations().filter((c) => c.op === 'apply' && c.kind === 'quarantine-bucket')).toHaveLength(
      1,
    );
  });
});
