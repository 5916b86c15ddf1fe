import { describe, expect, it } from 'vitest';
import type { EscalateAction } from '../../core/actions.ts';
import { escalationMessage } from '../../core/escalation-message.ts';
import type { ActionResult } from '../../core/executor.ts';

const ROLE = 'arn:aws:iam::111122223333:role/llm-finetune-role';
const BUCKET = 'arn:aws:s3:::models-prod';
const params: EscalateAction['params'] = {
  reason: 'guardduty Exfiltration:S3/AnomalousBehavior',
  principal: ROLE,
  resources: [BUCKET, 's3://models-prod/weights/model-00001.safetensors'],
  severity: 8,
  alertType: 'Exfiltration:S3/AnomalousBehavior',
};
const result = (
  actionId: string,
  kind: string,
  category: ActionResult['category'],
  target: string,
  outcome: ActionResult['outcome'],
  error?: string,
) => ({ actionId, kind, category, target, outcome, ...(error ? { error } : {}) }) as ActionResult;
const revoked = result('a1', 'revoke-role-sessions', 'revoke', ROLE, 'applied');
const closed = result('a2', 'quarantine-bucket', 'quarantine', BUCKET, 'applied');
const notClosed = result(
  'a2',
  'quarantine-bucket',
  'quarantine',
  BUCKET,
  'failed',
  'ActionError: AccessDenied on PutBucketPolicy',
);
const base = {
  incidentId: 'aws-guardduty-1f2e',
  account: '111122223333',
  params,
  packLocation: 's3://ir-evidence-111122223333/incidents/aws-guardduty-1f2e/pack/',
};

describe('escalationMessage', () => {
  it('says what happened, what was done and what the playbook leaves to humans, and the command to act', () => {
    const m = escalationMessage({ ...base, results: [revoked, closed] });
    expect(m.text.split('\n')).toEqual([
      'Tourniquet CONTAINED aws-guardduty-1f2e: Exfiltration:S3/AnomalousBehavior',
      'What happened: Exfiltration:S3/AnomalousBehavior, severity 8, by llm-finetune-role (account 111122223333) on models-prod, model-00001.safetensors',
      'Done: cut off llm-finetune-role (revoke-role-sessions); closed models-prod (quarantine-bucket)',
      'Not done: guardduty Exfiltration:S3/AnomalousBehavior',
      'Act: tourniquet incidents show aws-guardduty-1f2e',
      'Evidence pack: s3://ir-evidence-111122223333/incidents/aws-guardduty-1f2e/pack/',
    ]);
  });

  it('names what failed and why, and that the function retries it', () => {
    const m = escalationMessage({ ...base, results: [revoked, notClosed] });
    expect(m.subject).toBe(
      'Tourniquet PARTLY CONTAINED aws-guardduty-1f2e: Exfiltration:S3/AnomalousBehavior',
    );
    expect(m.done).toBe('Done: cut off llm-finetune-role (revoke-role-sessions)');
    expect(m.notDone).toBe(
      'Not done: quarantine-bucket models-prod FAILED: ActionError: AccessDenied on PutBucketPolicy; guardduty Exfiltration:S3/AnomalousBehavior',
    );
    expect(m.act).toBe(
      'Act: tourniquet incidents show aws-guardduty-1f2e (the function retries what failed)',
    );
  });

  it('asks a human to judge when nothing was cut off (a protected principal, a blast radius)', () => {
    const m = escalationMessage({
      ...base,
      params: { ...params, reason: 'the actor … is a protected (break-glass) principal: humans must judge' },
      results: [],
    });
    expect(m.subject).toMatch(/^Tourniquet NEEDS A HUMAN /);
    expect(m.done).toBe('Done: nothing changed automatically');
    expect(m.act).toBe(
      `Act: judge, then contain by hand: tourniquet contain --principal ${ROLE} --incident-id aws-guardduty-1f2e-by-hand --reason "…"`,
    );
  });

  it('keeps every line short enough for a phone: ids shortened, errors cut', () => {
    const long = result(
      'a2',
      'quarantine-storage-account',
      'quarantine',
      `/subscriptions/4a1b2c3d-5e6f-4789-8abc-def012345678/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stweights`,
      'failed',
      `RestError: ${'x'.repeat(500)}`,
    );
    const m = escalationMessage({ ...base, results: [long] });
    expect(m.notDone).toMatch(/^Not done: quarantine-storage-account stweights FAILED: RestError: x+;/);
    expect(m.notDone.length).toBeLessThan(260);
  });
});
