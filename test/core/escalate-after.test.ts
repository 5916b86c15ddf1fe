import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { ActionError } from '../../core/errors.ts';
import { executePlan } from '../../core/execute-plan.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T10:00:00Z');

describe('the escalation waits for the cut-off (after)', () => {
  it('is planned after the revocations and quarantines, not the evidence copies', () => {
    const decision = decide(exfiltrationAlert(), awsConfig(), { packs: PACKS, now });
    expect(decision.actions.map((a) => [a.id, a.kind, a.after])).toEqual([
      ['a1', 'revoke-role-sessions', undefined],
      ['a2', 'quarantine-bucket', undefined],
      ['a3', 'pin-objects', undefined],
      ['a4', 'copy-evidence', undefined],
      ['a5', 'escalate', ['a1', 'a2']],
    ]);
  });

  it('runs when a step it waits for failed, and is told every result it waited for', async () => {
    // Prepare: the quarantine fails for good.
    const decision = decide(exfiltrationAlert(), awsConfig(), { packs: PACKS, now });
    const cloud = fakeCloud();
    cloud.failNext('quarantine-bucket', 99, () => new ActionError('AccessDenied: not allowed'));
    const order: string[] = [];
    // Act
    const report = await executePlan({ incidentId: 'inc-1', actions: decision.actions }, cloud.executors, {
      dryRun: false,
      retry: instantRetry,
      onProgress: (r) => order.push(r.actionId),
    });
    // Assess: humans are told, after the cut-off ended, with both results.
    const escalate = report.results.find((r) => r.kind === 'escalate');
    expect(escalate).toMatchObject({ outcome: 'applied', details: { deps: ['a1', 'a2'] } });
    expect(order.indexOf('a5')).toBeGreaterThan(Math.max(order.indexOf('a1'), order.indexOf('a2')));
    expect(report.results.find((r) => r.actionId === 'a2')?.outcome).toBe('failed');
  });

  it('is refused when it waits for an action planned after it', async () => {
    const decision = decide(exfiltrationAlert(), awsConfig(), { packs: PACKS, now });
    const [first, ...rest] = decision.actions;
    const actions = [{ ...first, after: ['a5'] } as typeof first, ...rest].filter((a) => a !== undefined);
    await expect(
      executePlan({ incidentId: 'inc-1', actions }, fakeCloud().executors, { dryRun: false }),
    ).rejects.toThrow(/action a1 depends on a5, not an earlier action/);
  });
});
