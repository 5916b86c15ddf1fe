import type { Alert, PrincipalRef } from '../../core/alert.ts';
import { ACCOUNT } from './config.ts';

export function role(name: string, account = ACCOUNT): PrincipalRef {
  return {
    id: `arn:aws:iam::${account}:role/${name}`,
    kind: name.startsWith('AWSServiceRoleFor') ? 'service-linked-role' : 'role',
    account,
    name,
    aliases: [{ type: 'session-arn', value: `arn:aws:sts::${account}:assumed-role/${name}/session-1` }],
    certain: true,
  };
}

export function user(name: string, accessKeyId = 'AKIAIOSFODNN7EXAMPLE', account = ACCOUNT): PrincipalRef {
  return {
    id: `arn:aws:iam::${account}:user/${name}`,
    kind: 'user',
    account,
    name,
    aliases: [{ type: 'access-key-id', value: accessKeyId }],
    accessKeyId,
    certain: true,
  };
}

/** A GuardDuty S3 exfiltration alert, as the GuardDuty parser produces it. */
export function exfiltrationAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '5eb0a1d2c3b4a5968778695a4b3c2d1e',
    dedupeKey: `aws:guardduty:${ACCOUNT}:us-east-1:5eb0a1d2c3b4a5968778695a4b3c2d1e`,
    cloud: 'aws',
    source: 'guardduty',
    type: 'Exfiltration:S3/AnomalousBehavior',
    severity: 8,
    observedAt: '2026-11-25T10:00:00.000Z',
    account: ACCOUNT,
    region: 'us-east-1',
    principal: role('etl-job'),
    resources: [
      { kind: 'bucket', id: 'arn:aws:s3:::models-prod' },
      {
        kind: 'object',
        id: 's3://models-prod/weights/model-00001.safetensors',
        parent: 'arn:aws:s3:::models-prod',
      },
    ],
    sample: false,
    context: {},
    ...overrides,
  };
}
