import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/actions.ts';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { PACKS } from '../../packs/index.ts';
import { exfiltrationAlert, role, user } from '../support/alerts.ts';
import { ACCOUNT, awsConfig } from '../support/config.ts';

const now = new Date('2026-11-25T10:00:01.200Z');

describe('decide', () => {
  it('contains an S3 exfiltration: revoke the role, quarantine the asset, pin and copy evidence, escalate', () => {
    // Prepare: a GuardDuty exfiltration finding about a role reading the weights bucket.
    const alert = exfiltrationAlert();
    // Act
    const d = decide(alert, awsConfig(), { packs: PACKS, now });
    // Assess: the plan, in order, and the exact session-revoking Deny.
    expect(d.decision).toBe('contain');
    expect(d.incidentId).toMatch(/^aws-guardduty-[0-9a-f]{20}$/);
    expect(d.actions.map((a) => [a.kind, a.category, a.target])).toEqual([
      ['revoke-role-sessions', 'revoke', `arn:aws:iam::${ACCOUNT}:role/etl-job`],
      ['quarantine-bucket', 'quarantine', 'arn:aws:s3:::models-prod'],
      ['pin-objects', 'snapshot', 'arn:aws:s3:::models-prod'],
      ['copy-evidence', 'snapshot', 'arn:aws:s3:::models-prod'],
      ['escalate', 'escalate', `arn:aws:iam::${ACCOUNT}:role/etl-job`],
    ]);
    const revoke = d.actions[0];
    expect(revoke?.params).toMatchObject({
      roleName: 'etl-job',
      policyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: ['*'],
            Resource: ['*'],
            Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-25T10:00:02Z' } },
          },
        ],
      },
    });
    expect(d.actions[3]?.dependsOn).toEqual(['a3']);
  });

  it.each<[string, Partial<Alert>, RegExp]>([
    ['an account out of scope', { account: '999999999999' }, /not in scope/],
    ['a sample finding', { sample: true }, /sample/],
    ['a severity below the threshold', { severity: 5 }, /below minSeverity 7/],
    ['a type no playbook covers', { type: 'Recon:EC2/PortProbeUnprotectedPort' }, /no playbook/],
    [
      'a CloudTrail read by a known workload',
      {
        source: 'cloudtrail',
        type: 's3:GetObject',
        dedupeKey: 'aws:cloudtrail:ev-1',
        principal: role('llm-inference-role'),
      },
      /known reader/,
    ],
    [
      "Tourniquet's own bucket policy change seen in CloudTrail",
      {
        source: 'cloudtrail',
        type: 's3:PutBucketPolicy',
        principal: role('ir-responder'),
        context: { exposure: 'public' },
      },
      /is a responder/,
    ],
  ])('ignores %s', (_name, overrides, reason) => {
    const d = decide(exfiltrationAlert(overrides), awsConfig(), { packs: PACKS, now });
    expect([d.decision, d.actions]).toEqual(['ignore', []]);
    expect(d.reason).toMatch(reason);
  });

  it.each([
    ['a responder', role('ir-responder'), /responder identity/],
    ['a break-glass user', user('breakglass'), /protected \(break-glass\)/],
    [
      'root',
      { ...role('x'), id: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root' as const },
      /root principal cannot be revoked/,
    ],
    [
      'a service-linked role',
      role('AWSServiceRoleForAmazonGuardDuty'),
      /service-linked-role principal cannot be revoked/,
    ],
    ['an uncertain identity', { ...role('etl-job'), certain: false }, /could not be resolved/],
  ])('never revokes %s: it escalates instead', (_name, principal, reason) => {
    const d = decide(exfiltrationAlert({ principal }), awsConfig(), { packs: PACKS, now });
    expect(d.decision).toBe('contain');
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    const escalate = d.actions.find((a) => a.kind === 'escalate');
    expect(escalate?.params).toMatchObject({ reason: expect.stringMatching(reason) });
  });

  it.each<[string, Partial<Alert>, Action['kind'][]]>([
    [
      'leaves the bucket open when the actor is exempt from quarantine anyway',
      { principal: user('breakglass') },
      ['pin-objects', 'copy-evidence', 'escalate'],
    ],
    [
      'never quarantines the evidence bucket or buckets that are not assets',
      {
        resources: [
          { kind: 'bucket', id: `arn:aws:s3:::ir-evidence-${ACCOUNT}` },
          { kind: 'bucket', id: 'arn:aws:s3:::some-other-bucket' },
        ],
      },
      ['revoke-role-sessions', 'escalate'],
    ],
    [
      'revokes a principal outside detect.knownReaders seen reading an asset in CloudTrail',
      {
        source: 'cloudtrail',
        type: 's3:GetObject',
        dedupeKey: 'aws:cloudtrail:ev-1',
        principal: role('old-contractor'),
      },
      ['revoke-role-sessions', 'pin-objects', 'escalate'],
    ],
  ])('%s', (_name, overrides, kinds) => {
    const d = decide(exfiltrationAlert(overrides), awsConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(kinds);
  });

  it('exempts responders and break-glass in the quarantine statement, with and without role paths', () => {
    // Act
    const d = decide(exfiltrationAlert(), awsConfig(), { packs: PACKS, now });
    // Assess: the exact statement merged into the bucket policy.
    const q = d.actions.find((a) => a.kind === 'quarantine-bucket');
    expect(q?.params).toMatchObject({
      statement: {
        // 'TourniquetQuarantine' + the first 12 hex digits of sha256('aws-guardduty-2b3172ce4970bdd3e9af').
        Sid: 'TourniquetQuarantine07b48c9ed3b4',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::models-prod', 'arn:aws:s3:::models-prod/*'],
        Condition: {
          ArnNotLike: {
            'aws:PrincipalArn': [
              `arn:aws:iam::${ACCOUNT}:role/*/ir-responder`,
              `arn:aws:iam::${ACCOUNT}:role/ir-responder`,
              `arn:aws:iam::${ACCOUNT}:user/*/breakglass`,
              `arn:aws:iam::${ACCOUNT}:user/breakglass`,
            ],
          },
        },
      },
    });
  });

  it('gives each incident on a bucket its own quarantine Sid, stable across deliveries', () => {
    const sid = (alert = exfiltrationAlert()) => {
      const q = decide(alert, awsConfig(), { packs: PACKS, now }).actions.find(
        (a) => a.kind === 'quarantine-bucket',
      );
      return q?.kind === 'quarantine-bucket' ? q.params.statement.Sid : undefined;
    };
    const other = exfiltrationAlert({ id: 'f00d', dedupeKey: `aws:guardduty:${ACCOUNT}:us-east-1:f00d` });
    expect(sid()).toBe(sid());
    expect(sid(other)).toMatch(/^TourniquetQuarantine[0-9a-f]{12}$/);
    expect(sid(other)).not.toBe(sid());
  });

  it.each([
    [
      'a temporary (ASIA…) key from GetSessionToken',
      'ASIAQNZGKIQY56JQ7WML',
      /shows ASIAQNZGKIQY56JQ7WML, not a long-term/,
    ],
    ['no access key', undefined, /the alert names no access key/],
  ])('deactivates every key of a user seen with %s, and escalates the console password', (_n, key, why) => {
    const { accessKeyId: _named, ...mallory } = { ...user('mallory'), aliases: [] };
    const principal = key ? { ...mallory, accessKeyId: key } : mallory;
    const d = decide(exfiltrationAlert({ principal }), awsConfig(), { packs: PACKS, now });
    expect(d.actions.filter((a) => a.kind === 'deactivate-access-keys').map((a) => a.params)).toEqual([
      { userName: 'mallory', accessKeyIds: [], allKeys: true },
    ]);
    const escalate = d.actions.find((a) => a.kind === 'escalate');
    expect(escalate?.params).toMatchObject({ reason: expect.stringMatching(why) });
    expect(escalate?.params).toMatchObject({
      reason: expect.stringMatching(/console password .* not touched/),
    });
  });

  it('deactivates only the named long-term key unless aws.deactivateAllKeys opts in', () => {
    const base = awsConfig();
    const optIn = {
      ...base,
      aws: { ...(base.aws as NonNullable<typeof base.aws>), deactivateAllKeys: true },
    };
    const keys = (config = base) =>
      decide(exfiltrationAlert({ principal: user('mallory') }), config, { packs: PACKS, now })
        .actions.filter((a) => a.kind === 'deactivate-access-keys')
        .map((a) => a.params);
    expect(keys()).toEqual([{ userName: 'mallory', accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'], allKeys: false }]);
    expect(keys(optIn)).toEqual([
      { userName: 'mallory', accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'], allKeys: true },
    ]);
  });

  it('revokes a user: session deny and the access key from the finding', () => {
    const d = decide(exfiltrationAlert({ principal: user('mallory') }), awsConfig(), { packs: PACKS, now });
    expect(d.actions.slice(0, 2).map((a) => [a.kind, a.params])).toEqual([
      ['revoke-user-sessions', expect.objectContaining({ userName: 'mallory' })],
      [
        'deactivate-access-keys',
        { userName: 'mallory', accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'], allKeys: false },
      ],
    ]);
  });

  describe('blast-radius limits apply per category (issue 8, fix 2)', () => {
    const twoBuckets = {
      resources: [
        { kind: 'bucket' as const, id: 'arn:aws:s3:::models-prod' },
        { kind: 'bucket' as const, id: 'arn:aws:s3:::training-data' },
      ],
    };

    it('too many stores: the certain attacker is still revoked; quarantine and evidence escalate', () => {
      // Prepare: two asset buckets named, one store allowed.
      const config = awsConfig({ limits: { maxPrincipals: 2, maxStores: 1, maxObjects: 1000 } });
      // Act
      const d = decide(exfiltrationAlert(twoBuckets), config, { packs: PACKS, now });
      // Assess: the more the attacker touches, the more Tourniquet does not do less.
      expect(d.decision).toBe('contain');
      expect(d.actions.map((a) => a.category)).toEqual(['revoke', 'escalate']);
      expect(d.actions[0]?.target).toBe(`arn:aws:iam::${ACCOUNT}:role/etl-job`);
      expect(d.reason).toMatch(
        /blast radius exceeded: 2 stores > limits.maxStores 1; quarantine and evidence left to humans/,
      );
      const escalate = d.actions.find((a) => a.kind === 'escalate');
      expect(escalate?.params).toMatchObject({ reason: expect.stringMatching(/limits.maxStores 1/) });
    });

    it('too many objects: revoked and quarantined; the evidence part escalates', () => {
      const config = awsConfig({ limits: { maxPrincipals: 2, maxStores: 5, maxObjects: 1 } });
      const objects = ['a', 'b'].map((k) => ({
        kind: 'object' as const,
        id: `s3://models-prod/weights/${k}.safetensors`,
        parent: 'arn:aws:s3:::models-prod',
      }));
      const alert = exfiltrationAlert({ resources: [...twoBuckets.resources, ...objects] });
      const d = decide(alert, config, { packs: PACKS, now });
      expect(d.actions.map((a) => a.category)).toEqual(['revoke', 'quarantine', 'quarantine', 'escalate']);
      expect(d.reason).toMatch(/named objects > limits.maxObjects 1/);
    });

    it('too many principals: nothing is revoked automatically, humans are told', () => {
      const config = awsConfig({ limits: { maxPrincipals: 1, maxStores: 5, maxObjects: 1000 } });
      const d = decide(exfiltrationAlert({ ...twoBuckets, actors: [role('llm-batch-role')] }), config, {
        packs: PACKS,
        now,
      });
      expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
      expect(d.reason).toMatch(/2 principals > limits.maxPrincipals 1/);
    });
  });
});

describe('decide: responder and break-glass patterns', () => {
  const withGuards = (responders: string[], protectedPrincipals: string[] = []) =>
    awsConfig({
      aws: {
        accounts: [ACCOUNT],
        responders,
        protectedPrincipals,
        assets: [{ bucket: 'models-prod', kind: 'model-weights' }],
        evidenceBucket: `ir-evidence-${ACCOUNT}`,
      },
    });
  const revokes = (config: ReturnType<typeof awsConfig>, principal = role('ir-responder')) =>
    decide(exfiltrationAlert({ principal }), config, { packs: PACKS, now }).actions.some(
      (a) => a.category === 'revoke',
    );

  it.each([
    ['a role ARN with a wildcard path', `arn:aws:iam::${ACCOUNT}:role/*/ir-responder`],
    ['a role ARN with a literal path', `arn:aws:iam::${ACCOUNT}:role/ops/team/ir-responder`],
    ['a wildcard name', `arn:aws:iam::${ACCOUNT}:role/ir-*`],
    [
      'one session of the role (revocation is role-wide)',
      `arn:aws:sts::${ACCOUNT}:assumed-role/ir-responder/alice@example.com`,
    ],
    ['any session of a role glob', `arn:aws:sts::${ACCOUNT}:assumed-role/ir-*/*`],
  ])('never revokes a responder named by %s', (_name, pattern) => {
    expect(revokes(withGuards([pattern]))).toBe(false);
  });

  it('still revokes a role the patterns do not name', () => {
    expect(revokes(withGuards([`arn:aws:iam::${ACCOUNT}:role/*/ir-responder`]), role('etl-job'))).toBe(true);
  });
});
