import { PutRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { manualHandler } from '../../../functions-aws/handlers/manual.ts';
import { ACCOUNT } from '../../support/config.ts';
import { context, event, lambdaWorld } from './world.ts';

let world: ReturnType<typeof lambdaWorld>;
afterEach(() => world.restore());

const who = {
  incidentId: 'ir-2026-11-25-001',
  approver: 'alice@example.com',
  reason: 'weights read by a stale CI key',
};

describe('manual handler (Lambda console Test tab, aws lambda invoke)', () => {
  it('plans a raw event without touching AWS', async () => {
    world = lambdaWorld();
    const result = await manualHandler(
      { command: 'plan', event: event('examples/events/guardduty-s3-exfiltration.json') },
      context,
    );
    expect(result).toMatchObject({
      ok: true,
      command: 'plan',
      decisions: [{ decision: 'contain', mode: 'enforce' }],
    });
    expect(world.s3.mock.calls()).toEqual([]);
    expect(world.iam.mock.calls()).toEqual([]);
  });

  it('contains an explicit target and records who approved it and why', async () => {
    world = lambdaWorld();
    const result = await manualHandler(
      {
        command: 'contain',
        target: {
          principal: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`,
          stores: ['models-prod'],
          accessKeyIds: ['AKIAEXAMPLECIDEPLOY1'],
        },
        ...who,
      },
      context,
    );
    expect(result).toMatchObject({ ok: true, command: 'contain' });
    expect(world.iam.mock).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'ci-deployer',
      AccessKeyId: 'AKIAEXAMPLECIDEPLOY1',
      Status: 'Inactive',
    });
    const record = world.s3.buckets
      .get(`ir-evidence-${ACCOUNT}`)
      ?.objects.get(`incidents/${who.incidentId}/journal/incident.json`)?.[0];
    expect(JSON.parse(record?.body ?? '{}').trigger).toEqual({
      kind: 'manual',
      approver: who.approver,
      reason: who.reason,
    });
  });

  it('refuses contain without an approver and a reason, and says what is needed', async () => {
    world = lambdaWorld();
    const result = await manualHandler(
      { command: 'contain', target: { principal: `arn:aws:iam::${ACCOUNT}:role/x` }, incidentId: 'ir-1' },
      context,
    );
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/approver.*reason|"incidentId", "approver" and "reason"/s),
    });
    expect(world.mutating()).toEqual([]);
  });

  it('never revokes a break-glass principal even by hand', async () => {
    world = lambdaWorld();
    const result = await manualHandler(
      { command: 'contain', target: { principal: `arn:aws:iam::${ACCOUNT}:user/breakglass` }, ...who },
      context,
    );
    expect(result).toMatchObject({ ok: true });
    expect(world.iam.mock.commandCalls(PutRolePolicyCommand)).toEqual([]);
    expect(
      world
        .mutating()
        .filter((c) => c.startsWith('Put') && c !== 'PutObjectCommand' && c !== 'PutEventsCommand'),
    ).toEqual([]);
  });

  it('releases an incident it contained, restoring the key and removing the deny policy', async () => {
    world = lambdaWorld();
    await manualHandler(
      {
        command: 'contain',
        target: {
          principal: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`,
          accessKeyIds: ['AKIAEXAMPLECIDEPLOY1'],
        },
        ...who,
      },
      context,
    );
    expect(world.iam.users.get('ci-deployer')?.keys[0]?.status).toBe('Inactive');
    const result = await manualHandler(
      { command: 'release', ...who, reason: 'key rotated, owner confirmed' },
      context,
    );
    expect(result).toMatchObject({ ok: true, command: 'release', report: { status: 'released' } });
    expect(world.iam.users.get('ci-deployer')?.keys[0]?.status).toBe('Active');
    expect(world.iam.users.get('ci-deployer')?.inline.size).toBe(0);
  });

  it('answers ok: false with every outcome and the failed run’s report when an action fails', async () => {
    // Prepare: the role to revoke is gone, so its deny policy cannot be written.
    world = lambdaWorld();
    world.iam.roles.delete('llm-finetune-role');
    // Act
    const result = await manualHandler(
      {
        command: 'contain',
        target: { principal: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`, stores: ['models-prod'] },
        ...who,
      },
      context,
    );
    // Assess
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^ContainmentFailedError: incident ir-2026-11-25-001: .*revoke-role-sessions/,
      ),
      outcomes: [{ decision: { decision: 'contain' }, error: expect.stringMatching(/revoke-role-sessions/) }],
      report: { incidentId: 'ir-2026-11-25-001', status: 'contained' },
    });
    expect(world.s3.buckets.get('models-prod')?.policy).toContain('TourniquetQuarantine');
  });

  it('answers a clear error for an unknown incident', async () => {
    world = lambdaWorld();
    const result = await manualHandler(
      { command: 'release', ...who, incidentId: 'ir-does-not-exist' },
      context,
    );
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no journal for incident ir-does-not-exist/),
    });
  });
  describe('a contain that reuses an existing incident id is refused (issue 8, fix 1)', () => {
    const key = {
      principal: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`,
      accessKeyIds: ['AKIAEXAMPLECIDEPLOY1'],
    };

    it('after a release: says when it was released and asks for a new id; changes nothing', async () => {
      world = lambdaWorld();
      await manualHandler({ command: 'contain', target: key, ...who }, context);
      await manualHandler({ command: 'release', ...who, reason: 'owner confirmed' }, context);
      const iamChanges = () =>
        world.iam.mock.calls().filter((c) => !/^(Get|List)/.test(c.args[0].constructor.name)).length;
      const before = iamChanges();
      const again = await manualHandler({ command: 'contain', target: key, ...who }, context);
      expect(again).toMatchObject({
        ok: false,
        error: expect.stringMatching(/incident ir-2026-11-25-001 was released at .*: choose a new id/),
      });
      expect(iamChanges()).toBe(before);
      expect(world.iam.users.get('ci-deployer')?.keys[0]?.status).toBe('Active');
    });

    it('with another plan: refuses instead of running the recorded one', async () => {
      world = lambdaWorld();
      await manualHandler({ command: 'contain', target: key, ...who }, context);
      const other = await manualHandler(
        {
          command: 'contain',
          target: { principal: `arn:aws:iam::${ACCOUNT}:role/llm-finetune-role`, stores: ['models-prod'] },
          ...who,
        },
        context,
      );
      expect(other).toMatchObject({
        ok: false,
        error: expect.stringMatching(/incident ir-2026-11-25-001 exists with another plan.*choose a new id/),
      });
      expect(world.iam.roles.get('llm-finetune-role')?.inline.size ?? 0).toBe(0);
      expect(world.s3.buckets.get('models-prod')?.policy ?? '').not.toContain('TourniquetQuarantine');
    });

    it('the same command again (a retry) is still answered as a duplicate', async () => {
      world = lambdaWorld();
      await manualHandler({ command: 'contain', target: key, ...who }, context);
      const again = await manualHandler({ command: 'contain', target: key, ...who }, context);
      expect(again).toMatchObject({ ok: true, outcomes: [{ report: { status: 'duplicate' } }] });
    });
  });
});
