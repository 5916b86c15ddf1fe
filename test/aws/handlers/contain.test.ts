import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { containHandler, handler } from '../../../functions-aws/handlers/contain.ts';
import { ACCOUNT } from '../../support/config.ts';
import { context, EVIDENCE, event, lambdaWorld, OWN_ROLE } from './world.ts';

let world: ReturnType<typeof lambdaWorld>;
afterEach(() => world.restore());

const guardduty = () => event('examples/events/guardduty-s3-exfiltration.json');

describe('contain handler (EventBridge target)', () => {
  it('contains a GuardDuty S3 exfiltration end to end: the workload role session revoked, bucket quarantined, evidence copied, humans told', async () => {
    world = lambdaWorld();
    const [result] = await handler(guardduty(), context as never);
    expect(result).toMatchObject({ decision: 'contain', status: 'contained' });

    const put = world.iam.mock.commandCalls(PutRolePolicyCommand)[0]?.args[0].input;
    expect(put?.RoleName).toBe('llm-finetune-role');
    expect(JSON.parse(put?.PolicyDocument ?? '')).toMatchObject({
      Statement: [
        {
          Effect: 'Deny',
          Action: ['*'],
          // llm-finetune-role is a known reader (a shared workload): only the finding's session is cut off.
          Condition: { StringEquals: { 'aws:userid': 'AROAEXAMPLEFINETUNE1:botocore-session-1764064512' } },
        },
      ],
    });
    const policy = JSON.parse(world.s3.buckets.get('models-prod')?.policy ?? '{}');
    expect(policy.Statement[0].Condition.ArnNotLike['aws:PrincipalArn']).toEqual(
      expect.arrayContaining([
        OWN_ROLE,
        `arn:aws:iam::${ACCOUNT}:role/ir-responder`,
        `arn:aws:iam::${ACCOUNT}:user/breakglass`,
      ]),
    );
    expect(world.s3.buckets.get('models-prod')?.publicAccessBlock?.RestrictPublicBuckets).toBe(true);
    const evidence = [...(world.s3.buckets.get(EVIDENCE)?.objects.keys() ?? [])];
    const prefix = `incidents/${result?.incidentId}/`;
    expect(evidence).toEqual(
      expect.arrayContaining([
        `${prefix}journal/incident.json`,
        `${prefix}journal/event.json`,
        `${prefix}objects/models-prod/weights/model-00001.safetensors`,
        `${prefix}objects/models-prod/weights/model-00002.safetensors`,
      ]),
    );
    expect(world.eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]).toMatchObject({
      Source: 'tourniquet',
      DetailType: 'Tourniquet Escalation',
    });
  });

  it('repeats nothing when EventBridge delivers the same finding again', async () => {
    world = lambdaWorld();
    await handler(guardduty(), context as never);
    // The second delivery may only try (and fail) to claim the incident: a conditional PutObject.
    const effects = () => world.mutating().filter((c) => c !== 'PutObjectCommand');
    const first = effects();
    const [again] = await handler(guardduty(), context as never);
    expect(again).toMatchObject({ decision: 'contain', status: 'duplicate' });
    expect(effects()).toEqual(first);
  });

  it('rejects a forged event (custom source posing as GuardDuty) with no call at all', async () => {
    world = lambdaWorld();
    const [result] = await containHandler(event('test/fixtures/aws/hostile/spoofed-source.json'), context);
    expect(result).toMatchObject({ decision: 'reject', reason: expect.stringMatching(/source/) });
    expect(world.mutating()).toEqual([]);
  });

  it('changes nothing without "mode": "enforce"', async () => {
    world = lambdaWorld('dry-run');
    const [result] = await containHandler(guardduty(), context);
    expect(result).toMatchObject({ decision: 'contain', status: 'dry-run' });
    expect(world.mutating()).toEqual([]);
    expect(world.s3.mock.calls()).toEqual([]);
  });

  it('fails closed with the reason when the configuration is invalid', async () => {
    world = lambdaWorld('enforce', '{"mode":"enforce","aws":{"accounts":["123"]}}');
    await expect(containHandler(guardduty(), context)).rejects.toThrow(
      /aws\.accounts\.0: must be a 12-digit AWS account id/,
    );
    expect(world.mutating()).toEqual([]);
  });

  it('fails closed when the configuration is missing', async () => {
    world = lambdaWorld();
    delete process.env.TOURNIQUET_CONFIG;
    await expect(containHandler(guardduty(), context)).rejects.toThrow(
      /TOURNIQUET_CONFIG environment variable is empty or unset/,
    );
  });

  it('raises a failure after handling the whole event, so Lambda retries and then dead-letters it', async () => {
    world = lambdaWorld();
    world.iam.roles.delete('llm-finetune-role');
    await expect(containHandler(guardduty(), context)).rejects.toThrow(/revoke-role-sessions/);
    expect(world.s3.buckets.get('models-prod')?.policy).toContain('TourniquetQuarantine');
  });
});
