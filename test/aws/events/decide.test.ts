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
/** Revoking an IAM user: its sessions, its access keys, its Bedrock API keys. */
const revokeUser = (name: string): [string, string][] => [
  ['revoke-user-sessions', user(name)],
  ['deactivate-access-keys', user(name)],
  ['deactivate-bedrock-api-keys', user(name)],
];
const revokeAlice = revokeUser('dev-alice');

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
      [...revokeUser('ml-pipeline'), ['escalate', user('ml-pipeline')]],
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
        // Imported by a custom product: a claim anyone with BatchImportFindings can make, so it
        // is escalated only (aws.trustedProducts lifts that, test/core/low-trust.test.ts).
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
  // Anonymous: no principal to revoke, no knownReaders needed; the public bucket is closed.
  'cloudtrail-getobject-anonymous.json': [
    [
      'contain',
      'aws-anonymous-read',
      [
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['copy-evidence', s3('models-prod')],
        ['escalate', 'anonymous'],
      ],
    ],
  ],
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
  'guardduty-ai-anomalous-model-invocation.json': [
    [
      'contain',
      'aws-ai-model-abuse',
      [
        // One session of the role (the finding names it), not the role.
        ['deny-inference', role('rag-dev-role')],
        ['escalate', role('rag-dev-role')],
      ],
    ],
  ],
  'guardduty-ai-cost-harvesting.json': [
    [
      'contain',
      'aws-ai-model-abuse',
      [
        ['deny-inference', user('ci-bot')],
        ['deactivate-bedrock-api-keys', user('ci-bot')],
        ['escalate', user('ci-bot')],
      ],
    ],
  ],
  'guardduty-ai-prompt-injection.json': [
    ['contain', 'aws-ai-prompt-injection', [['escalate', role('rag-dev-role')]]],
  ],
  'guardduty-ai-sample-finding.json': [['ignore', undefined, []]],
  'guardduty-attack-sequence-s3.json': [
    [
      'contain',
      'aws-attack-sequence-data',
      [
        ['revoke-role-sessions', role('llm-finetune-role')],
        ['quarantine-bucket', s3('models-prod')],
        ['pin-objects', s3('models-prod')],
        ['copy-evidence', s3('models-prod')],
        ['escalate', role('llm-finetune-role')],
      ],
    ],
  ],
  'guardduty-attack-sequence-s3-grown.json': [
    [
      'contain',
      'aws-attack-sequence-data',
      [
        // By itself the grown update plans the whole set; core/series.ts takes out what the
        // first update took (test/core/series.test.ts).
        ['revoke-role-sessions', role('llm-finetune-role')],
        ...revokeAlice,
        ['quarantine-bucket', s3('models-prod')],
        ['quarantine-bucket', s3('training-data')],
        ['pin-objects', s3('models-prod')],
        ['pin-objects', s3('training-data')],
        ['copy-evidence', s3('models-prod')],
        ['copy-evidence', s3('training-data')],
        ['escalate', role('llm-finetune-role')],
      ],
    ],
  ],
  'guardduty-attack-sequence-iam.json': [
    ['contain', 'aws-attack-sequence-credentials', [...revokeAlice, ['escalate', user('dev-alice')]]],
  ],
  'guardduty-attack-sequence-sample.json': [],
  'securityhub-v2-guardduty.json': [
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
  'securityhub-v2-custom-product.json': [
    [
      'contain',
      'aws-s3-exfiltration',
      [
        // A product AWS does not run: a claim, escalated only (aws.trustedProducts lifts that).
        ['escalate', role('data-export-role')],
      ],
    ],
  ],
  'securityhub-v2-own-finding.json': [],
  'securityhub-own-finding.json': [],
  'cloudtrail-update-assume-role-policy-backdoor.json': [
    ['contain', 'aws-trust-backdoored', [...revokeAlice, ['escalate', user('dev-alice')]]],
  ],
  'cloudtrail-create-login-profile-other-user.json': [
    ['contain', 'aws-console-access-added', [...revokeAlice, ['escalate', user('dev-alice')]]],
  ],
  'cloudtrail-update-login-profile-self.json': [['ignore', 'aws-console-access-added', []]],
  // Without aws.knownIdentities nobody can say the change was unexpected: humans are told.
  'cloudtrail-bedrock-delete-guardrail.json': [
    ['contain', 'aws-ai-guardrail-weakened', [['escalate', user('dev-alice')]]],
  ],
  'cloudtrail-bedrock-update-guardrail-weakened.json': [
    ['contain', 'aws-ai-guardrail-weakened', [['escalate', role('ci-deploy-role')]]],
  ],
  'cloudtrail-bedrock-delete-invocation-logging.json': [
    ['contain', 'aws-ai-logging-disabled', [['escalate', user('dev-alice')]]],
  ],
  'cloudtrail-bedrock-put-invocation-logging.json': [['ignore', 'aws-ai-logging-disabled', []]],
  'cloudtrail-bedrock-update-data-source.json': [
    ['contain', 'aws-ai-training-source-changed', [['escalate', user('dev-alice')]]],
  ],
  'cloudtrail-bedrock-create-customization-job.json': [['ignore', 'aws-ai-training-source-changed', []]],
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

describe('an attack sequence beyond the store limit (issue 8, fix 2)', () => {
  it('revokes every actor within maxPrincipals and escalates the buckets instead of cancelling', () => {
    const config = awsConfig({ limits: { maxPrincipals: 5, maxStores: 1, maxObjects: 1000 } });
    const [alert] = alertsOf(parseAwsEvent(fixture('events', 'guardduty-attack-sequence-s3-grown.json')));
    if (!alert) throw new Error('no alert');
    const d = decide(alert, config, { packs: PACKS, now });
    expect(d.actions.filter((a) => a.category === 'revoke').map((a) => a.target)).toEqual(
      expect.arrayContaining([role('llm-finetune-role'), user('dev-alice')]),
    );
    expect(d.actions.filter((a) => a.category === 'quarantine' || a.category === 'snapshot')).toEqual([]);
    expect(d.reason).toMatch(/2 stores > limits.maxStores 1/);
  });
});
