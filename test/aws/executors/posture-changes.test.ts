/**
 * Posture changes on AWS through the real executors, `respond` and `release`, over IAM in memory
 * and an in-memory write-once journal: the standing-access fix, a grant, the grant window in a
 * standing Deny, and the timer that takes grants back. Every change journaled with its before-state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../core/config.ts';
import { incidentJournal } from '../../../core/journal.ts';
import { memoryStore } from '../../../core/memory-store.ts';
import { changeDecision } from '../../../core/posture/change.ts';
import { expireGrants, grantIndex } from '../../../core/posture/grant-index.ts';
import { analyseIdentities } from '../../../core/posture/identities.ts';
import { snapshotView } from '../../../core/posture/snapshot.ts';
import { release } from '../../../core/release.ts';
import { respond } from '../../../core/respond.ts';
import { awsExecutors } from '../../../functions-aws/executors/index.ts';
import type { PolicyDocument } from '../../../packs/aws/policies.ts';
import { standingAccessDeny, standingAccessPolicyName } from '../../../packs/aws/posture/access-policies.ts';
import { awsIdentityAnalysis } from '../../../packs/aws/posture/identities/analysis.ts';
import { awsGrantChange, awsStandingAccessChange } from '../../../packs/aws/posture/posture-changes.ts';
import { PACKS } from '../../../packs/index.ts';
import { awsIdentitySnapshot } from '../../posture/support/identity-snapshots.ts';
import { ACCOUNT, awsConfig } from '../../support/config.ts';
import { fakeIam } from './fake-iam.ts';
import { homeClients } from './harness.ts';

const NOW = new Date('2026-03-02T06:00:00.000Z');
let fake: ReturnType<typeof fakeIam>;
afterEach(() => fake.mock.restore());

function world(config: Config = awsConfig()) {
  fake = fakeIam();
  fake.role('deploy-pipeline');
  fake.user('dana');
  const store = memoryStore();
  const deps = {
    config,
    packs: PACKS,
    executors: awsExecutors(homeClients, { escalationBus: 'default', homeAccount: ACCOUNT }),
    journal: incidentJournal(store),
    now: () => NOW,
  };
  return { store, deps };
}
const trigger = { kind: 'manual' as const, approver: 'alice', reason: 'quarterly access review' };
const inline = (name: string) => fake.roles.get(name)?.inline;

function fixPlan(config: Config) {
  const snapshot = awsIdentitySnapshot();
  const rows = analyseIdentities(
    awsIdentityAnalysis,
    { config, scope: snapshot.scope, view: snapshotView(snapshot, 'aws') },
    NOW,
  );
  const { change } = awsStandingAccessChange(rows, config, ACCOUNT, NOW);
  if (!change) throw new Error('no fix planned');
  return changeDecision(change, config);
}

describe('the standing-access fix', () => {
  it('writes the exact Deny on each stale principal, journaled, and release takes it back', async () => {
    const { deps, store } = world();
    const { decision, alert } = fixPlan(deps.config);
    const { report, failure } = await respond({ decision, alert, trigger }, deps);
    expect(failure).toBeUndefined();
    expect(report.status).toBe('contained');
    expect(report.results.map((r) => [r.kind, r.target, r.outcome])).toEqual([
      ['deny-standing-access', `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`, 'applied'],
      ['deny-standing-access', `arn:aws:iam::${ACCOUNT}:user/dana`, 'applied'],
      ['deny-standing-access', `arn:aws:iam::${ACCOUNT}:user/dana`, 'applied'],
    ]);
    expect(JSON.parse(inline('deploy-pipeline')?.get(standingAccessPolicyName('models-prod')) ?? '')).toEqual(
      standingAccessDeny('models-prod'),
    );
    const journal = [...store.objects.keys()].filter((k) => k.includes('/contain/'));
    expect(journal).toHaveLength(6);
    const before = JSON.parse(
      store.objects.get(journal.find((k) => k.endsWith('a1/001-before.json')) ?? '') ?? '{}',
    );
    expect(before).toMatchObject({
      before: { policyDocument: null },
      inverse: expect.stringContaining('DeleteRolePolicy deploy-pipeline'),
    });

    expect((await respond({ decision, alert, trigger }, deps)).report).toMatchObject({ status: 'duplicate' });
    const { report: undone } = await release(
      { incidentId: decision.incidentId ?? '', approver: 'alice', reason: 'rollback' },
      deps,
    );
    expect(undone.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect(inline('deploy-pipeline')?.size).toBe(0);
    expect(fake.users.get('dana')?.inline.size).toBe(0);
  });

  it('changes nothing in dry-run', async () => {
    const { deps, store } = world(awsConfig({ mode: 'dry-run' }));
    const { decision, alert } = fixPlan(deps.config);
    expect((await respond({ decision, alert, trigger }, deps)).report.status).toBe('dry-run');
    expect(inline('deploy-pipeline')?.size).toBe(0);
    expect(store.objects.size).toBe(0);
    expect(fake.mock.calls()).toHaveLength(0);
  });

  it('plans nothing when more principals are stale than limits.maxPrincipals allows', () => {
    const config = awsConfig({ limits: { maxPrincipals: 1, maxStores: 3, maxObjects: 1000 } });
    const snapshot = awsIdentitySnapshot();
    const rows = analyseIdentities(
      awsIdentityAnalysis,
      { config, scope: snapshot.scope, view: snapshotView(snapshot, 'aws') },
      NOW,
    );
    expect(awsStandingAccessChange(rows, config, ACCOUNT, NOW)).toEqual({
      skipped: [
        '2 stale principals > limits.maxPrincipals 1: nothing planned; raise the limit for this run or fix them by hand',
      ],
    });
  });
});

describe('a just-in-time grant', () => {
  const grant = (config: Config, standingDeny: PolicyDocument | null) =>
    changeDecision(
      awsGrantChange({
        config,
        principal: `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`,
        bucket: 'models-prod',
        access: 'read',
        startsAt: NOW,
        expiresAt: new Date(NOW.getTime() + 2 * 3_600_000),
        grantId: 'aws-grant-20260302-0001',
        reason: 'release v3 weights',
        standingDeny,
      }),
      config,
    );

  it('opens the standing Deny for its window and, when the timer takes it back, restores it exactly', async () => {
    const { deps, store } = world();
    const deny = standingAccessDeny('models-prod');
    inline('deploy-pipeline')?.set(standingAccessPolicyName('models-prod'), JSON.stringify(deny));
    const { decision, alert } = grant(deps.config, deny);
    expect((await respond({ decision, alert, trigger }, deps)).report.status).toBe('contained');
    const policies = inline('deploy-pipeline');
    expect([...(policies?.keys() ?? [])].sort()).toEqual([
      'TourniquetJit-aws-grant-20260302-0001',
      'TourniquetStandingAccess-models-prod',
    ]);
    expect(
      JSON.parse(policies?.get('TourniquetStandingAccess-models-prod') ?? '').Statement[0].Condition,
    ).toEqual({
      DateGreaterThan: { 'aws:CurrentTime': '2026-03-02T08:00:00.000Z' },
    });

    const index = grantIndex(store);
    await index.add(decision.incidentId ?? '', '2026-03-02T08:00:00.000Z');
    expect(await expireGrants(store, deps, new Date('2026-03-02T07:59:00Z'))).toEqual([]);
    const expired = await expireGrants(store, deps, new Date('2026-03-02T08:00:30Z'));
    expect(expired.map((e) => [e.incidentId, e.report?.status, e.error])).toEqual([
      ['aws-grant-20260302-0001', 'released', undefined],
    ]);
    expect([...(policies?.keys() ?? [])]).toEqual(['TourniquetStandingAccess-models-prod']);
    expect(JSON.parse(policies?.get('TourniquetStandingAccess-models-prod') ?? '')).toEqual(deny);
    expect(await expireGrants(store, deps, new Date('2026-03-02T09:00:00Z'))).toEqual([]);
  });

  it('is refused by the plan guard when a journaled grant was altered to an open-ended Allow', async () => {
    const { deps, store } = world();
    const { decision, alert } = grant(deps.config, null);
    await respond({ decision, alert, trigger }, deps);
    const key = `incidents/${decision.incidentId}/journal/incident.json`;
    const record = JSON.parse(store.objects.get(key) ?? '{}');
    delete record.decision.actions[0].params.policyDocument.Statement[0].Condition;
    store.objects.set(key, JSON.stringify(record));
    await expect(
      release({ incidentId: decision.incidentId ?? '', approver: 'a', reason: 'r' }, deps),
    ).rejects.toThrow(/a1 grant-access writes an Allow that does not end at its expiry/);
  });
});
