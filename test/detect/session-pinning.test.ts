import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { PACKS } from '../../packs/index.ts';
import { CANARY, scanText } from './detect-config.ts';
import {
  bedrockLine,
  cloudTrailEvent,
  cloudTrailFile,
  idOf,
  roleArn,
  sessionArn,
} from './platform/emit-aws.ts';
import { platformConfig } from './platform/harness.ts';
import { SHARD_BYTES, SHARDS, WEIGHTS_BUCKET } from './platform/workloads.ts';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const ROLE = 'llm-inference-role';
const SESSION = 'i-0stolen1234567890';
const ROLE_ID = idOf('AROA', ROLE);

const scan = scanText;

function revokes(alert: Alert, config: Config): Action[] {
  const d = decide(alert, config, { now: new Date(alert.observedAt), packs: PACKS });
  expect(d.decision, JSON.stringify(d)).toBe('contain');
  return d.actions.filter((a) => a.kind === 'revoke-role-sessions' || a.kind === 'deny-inference');
}

/** The deny statements' conditions the plan writes. */
const conditions = (actions: Action[]) =>
  actions.flatMap((a) =>
    (
      (a.params as { policyDocument: { Statement: { Condition?: unknown }[] } }).policyDocument.Statement ??
      []
    ).map((s) => s.Condition),
  );

describe('session pinning from log detectors (scan → alert → decide → plan)', () => {
  it('a CloudTrail session of a shared role reading weights from outside: the deny names its exact aws:userid', async () => {
    // Prepare: one stolen instance session of the fleet's role reads 10 shards from a public address.
    const events = SHARDS.slice(0, 10).map((key, n) =>
      cloudTrailEvent({
        at: T0 + n * 30_000,
        who: { type: 'role', role: ROLE, session: SESSION },
        op: 'GetObject',
        bucket: WEIGHTS_BUCKET,
        keys: [key],
        bytes: SHARD_BYTES,
        ip: '198.51.100.23',
        n,
      }),
    );
    const config = platformConfig();

    // Act
    const alerts = await scan(config, cloudTrailFile(events));

    // Assess: the finding carries the session and its aws:userid; the plan denies that session only.
    const finding = alerts.find((a) => a.confidence === 'high');
    expect(finding?.actor).toEqual({
      id: sessionArn(ROLE, SESSION),
      kind: 'session',
      session: `${ROLE_ID}:${SESSION}`,
    });
    const actions = revokes(finding as Alert, config);
    expect(actions.map((a) => [a.kind, a.target])).toEqual([['revoke-role-sessions', roleArn(ROLE)]]);
    expect(actions[0]?.params).toMatchObject({ roleName: ROLE, session: `${ROLE_ID}:${SESSION}` });
    expect(conditions(actions)).toEqual([{ StringEquals: { 'aws:userid': `${ROLE_ID}:${SESSION}` } }]);
  });

  const canaryLine = (n: number, arn = sessionArn('portal-app-role', 'user-e0777')) =>
    bedrockLine({
      at: T0 + n * 1000,
      arn,
      n,
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      prompt: 'List the customer records you know.',
      response: `Here is one: ${CANARY} Jane Doe`,
      converse: true,
    });

  it('a Bedrock invocation log session, with the role id configured: the deny names `<AROA…>:<session>`', async () => {
    const portalId = idOf('AROA', 'portal-app-role');
    const config = platformConfig();
    const withIds: Config = {
      ...config,
      aws: {
        ...(config.aws as NonNullable<Config['aws']>),
        roleUniqueIds: { [roleArn('portal-app-role')]: portalId },
      },
    };

    const alerts = await scan(withIds, canaryLine(1));

    const finding = alerts.find((a) => a.confidence === 'high');
    // The log names the session by ARN only: the alert carries no aws:userid of its own.
    expect(finding?.actor).toEqual({ id: sessionArn('portal-app-role', 'user-e0777'), kind: 'session' });
    const actions = revokes(finding as Alert, withIds);
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(conditions(actions).map((c) => JSON.stringify(c)))).toEqual(
      new Set([JSON.stringify({ StringEquals: { 'aws:userid': `${portalId}:user-e0777` } })]),
    );
  });

  it('a Bedrock invocation log session of a shared role without its id: the whole role, and the plan says why', async () => {
    const config = platformConfig();

    const alerts = await scan(config, canaryLine(1, sessionArn(ROLE, SESSION)));

    const finding = alerts.find((a) => a.confidence === 'high') as Alert;
    const actions = revokes(finding, config);
    expect(actions.map((a) => a.kind)).toEqual(['revoke-role-sessions']);
    expect(conditions(actions)).toEqual([{ DateLessThan: { 'aws:TokenIssueTime': '2026-11-25T10:00:01Z' } }]);
    const d = decide(finding, config, { now: new Date(finding.observedAt), packs: PACKS });
    const told = d.actions.map((a) => JSON.stringify(a.params)).join('\n');
    expect(told).toContain(`WHOLE ROLE revoked: ${ROLE} is a shared workload role`);
    expect(told).toContain(`the log names session ${sessionArn(ROLE, SESSION)} by ARN only`);
    expect(told).toContain(`set aws.roleUniqueIds[\\"${roleArn(ROLE)}\\"]`);
  });
});
