/**
 * Every documented-shape fixture through the parser and `decide()` with the test configuration
 * (test/support/config.ts): the parser's types and facts must meet the playbook rows in
 * packs/aws/playbooks.ts, and the guardrails must hold (uncertain, root, break-glass, responders).
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/decide.ts';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { PACKS } from '../../../packs/index.ts';
import { ACCOUNT, awsConfig } from '../../support/config.ts';
import { alertsOf, fixture, fixtureNames } from './fixtures.ts';

const now = new Date('2026-11-25T12:00:00.000Z');
const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
const user = (n: string) => `arn:aws:iam::${ACCOUNT}:user/${n}`;
const s3 = (b: string) => `arn:aws:s3:::${b}`;

type Row = [
  decision: 'contain' | 'ignore',
  playbook: string | undefined,
  actions: [kind: string, target: string][],
];
const revokeAlice: [string, string][] = [
  ['revoke-user-sessions', user('dev-alice')],
  ['deactivate-access-keys', user('dev-alice')],
];

/** One row per alert a fixture yields, in order. */
const EXPECTED: Record<string, Row[]> = {
  'guardduty-s3-exfiltration-assumed-role.json': [
    [
      'contain',
      'aws-s3-exfiltration',
      [
        ['revoke-role-sessions', role('llm-finetune-role')],
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['copy-evidence', s3('models-prod')],
        ['escalate', role('llm-finetune-role')],
      ],
    ],
  ],
  'guardduty-credential-exfiltration-outside-aws.json': [
    [
      'contain',
      'aws-credential-compromise',
      [
        ['revoke-role-sessions', role('llm-finetune-role')],
        ['escalate', role('llm-finetune-role')],
      ],
    ],
  ],
  'guardduty-iam-user-access-key.json': [
    [
      'contain',
      'aws-credential-compromise',
      [
        ['revoke-user-sessions', user('ml-pipeline')],
        ['deactivate-access-keys', user('ml-pipeline')],
        ['escalate', user('ml-pipeline')],
      ],
    ],
  ],
  'guardduty-root.json': [
    [
      'contain',
      'aws-s3-exfiltration',
      [
        ['quarantine-bucket', s3('training-data')],
        ['pin-objects', s3('training-data')],
        ['copy-evidence', s3('training-data')],
        ['escalate', `arn:aws:iam::${ACCOUNT}:root`],
      ],
    ],
  ],
  'guardduty-federated-user.json': [
    [
      'contain',
      'aws-s3-exfiltration',
      [
        ['quarantine-bucket', s3('training-data')],
        ['pin-objects', s3('training-data')],
        ['copy-evidence', s3('training-data')],
        ['escalate', `arn:aws:sts::${ACCOUNT}:federated-user/contractor-bob`],
      ],
    ],
  ],
  'guardduty-sample-finding.json': [['ignore', undefined, []]],
  'securityhub-findings.json': [
    [
      'contain',
      'aws-s3-exfiltration',
      [
        ['revoke-role-sessions', role('llm-finetune-role')],
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['copy-evidence', s3('models-prod')],
        ['escalate', role('llm-finetune-role')],
      ],
    ],
    [
      'contain',
      'aws-s3-exfiltration',
      [
        // Imported by a custom product: the actor is a claim, so it is escalated, not revoked.
        ['quarantine-bucket', s3('training-data')],
        ['pin-objects', s3('training-data')],
        ['copy-evidence', s3('training-data')],
        ['escalate', role('data-export-role')],
      ],
    ],
  ],
  'securityhub-archived.json': [],
  'cloudtrail-getobject.json': [
    [
      'contain',
      'aws-unknown-reader',
      [
        ['revoke-role-sessions', role('llm-eval-role')],
        ['pin-objects', s3('models-prod')],
        ['escalate', role('llm-eval-role')],
      ],
    ],
  ],
  'cloudtrail-getobject-known-reader.json': [['ignore', 'aws-unknown-reader', []]],
  'cloudtrail-put-bucket-policy-public.json': [
    [
      'contain',
      'aws-bucket-opened',
      [
        ...revokeAlice,
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['escalate', user('dev-alice')],
      ],
    ],
  ],
  'cloudtrail-put-bucket-policy-benign.json': [['ignore', 'aws-bucket-opened', []]],
  'cloudtrail-delete-bucket-policy.json': [
    [
      'contain',
      'aws-bucket-opened',
      [
        ...revokeAlice,
        ['quarantine-bucket', s3('training-data')],
        ['pin-objects', s3('training-data')],
        ['escalate', user('dev-alice')],
      ],
    ],
  ],
  'cloudtrail-put-bucket-acl-public.json': [
    [
      'contain',
      'aws-bucket-opened',
      [
        ...revokeAlice,
        ['quarantine-bucket', s3('training-data')],
        ['pin-objects', s3('training-data')],
        ['escalate', user('dev-alice')],
      ],
    ],
  ],
  'cloudtrail-delete-public-access-block.json': [
    [
      'contain',
      'aws-bucket-opened',
      [
        ...revokeAlice,
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['escalate', user('dev-alice')],
      ],
    ],
  ],
  'cloudtrail-put-bucket-versioning-suspended.json': [
    [
      'contain',
      'aws-versioning-suspended',
      [...revokeAlice, ['pin-objects', s3('models-prod')], ['escalate', user('dev-alice')]],
    ],
  ],
  'cloudtrail-create-access-key-other-user.json': [
    [
      'contain',
      'aws-access-key-for-another-user',
      [...revokeAlice, ['deactivate-access-keys', user('ml-pipeline')], ['escalate', user('dev-alice')]],
    ],
  ],
  'cloudtrail-create-access-key-self.json': [['ignore', 'aws-access-key-for-another-user', []]],
  'cloudtrail-attach-role-policy-admin.json': [
    [
      'contain',
      'aws-admin-granted',
      [
        ['revoke-role-sessions', role('ci-deploy-role')],
        ['escalate', role('ci-deploy-role')],
      ],
    ],
  ],
  'cloudtrail-put-user-policy-star.json': [
    ['contain', 'aws-admin-granted', [...revokeAlice, ['escalate', user('dev-alice')]]],
  ],
  'macie-policy-bucket-public.json': [
    [
      'contain',
      'aws-bucket-exposed',
      [
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['escalate', role('data-export-role')],
      ],
    ],
  ],
  'macie-sensitive-data-credentials.json': [
    ['contain', 'aws-sensitive-data', [['escalate', s3('training-data')]]],
  ],
};

describe('parser and playbooks agree on every documented fixture', () => {
  it('has an expectation for every fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames('events').sort());
  });

  it.each(Object.entries(EXPECTED))('%s', (name, rows) => {
    const parsed = parseAwsEvent(fixture('events', name));
    const alerts = rows.length ? alertsOf(parsed) : [];
    if (!rows.length) expect(parsed.kind).toBe('ignored');
    expect(alerts).toHaveLength(rows.length);
    alerts.forEach((alert, i) => {
      const d = decide(alert, awsConfig(), { packs: PACKS, now });
      expect([d.decision, d.playbook, d.actions.map((a) => [a.kind, a.target])]).toEqual(rows[i]);
    });
  });

  it('ignores the benign versions for the reason the playbook states, not only for severity', () => {
    const config = awsConfig({ minSeverity: 0 });
    const reasons = [
      'cloudtrail-put-bucket-policy-benign.json',
      'cloudtrail-create-access-key-self.json',
    ].map((name) => {
      const [alert] = alertsOf(parseAwsEvent(fixture('events', name)));
      return decide(alert as NonNullable<typeof alert>, config, { packs: PACKS, now }).reason;
    });
    expect(reasons).toEqual([
      'not a threat by itself: the change grants no public or cross-account access',
      'not a threat by itself: a user created a key for themselves',
    ]);
  });

  it('does not quarantine a bucket for a Macie finding that only reports encryption disabled', () => {
    const e = fixture('events', 'macie-policy-bucket-public.json');
    e.detail.type = 'Policy:IAMUser/S3BucketEncryptionDisabled';
    const [alert] = alertsOf(parseAwsEvent(e));
    const d = decide(alert as NonNullable<typeof alert>, awsConfig({ minSeverity: 0 }), {
      packs: PACKS,
      now,
    });
    expect(d).toMatchObject({
      decision: 'ignore',
      reason: 'no playbook for macie Policy:IAMUser/S3BucketEncryptionDisabled',
    });
  });
});
