import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { evidenceBucket, valueOrAbsent } from '../subjects.ts';

/** NIS2's final report is due a month after the incident: evidence must outlive it, untouched. */
export const MIN_RETENTION_DAYS = 30;

interface LockAnswer {
  ObjectLockConfiguration?: {
    ObjectLockEnabled?: string;
    Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } };
  };
}

/** The journal and evidence copies are only tamper-proof under a default Object Lock retention. */
export const evidenceObjectLock: PostureCheck = {
  id: 'aws.evidence-object-lock',
  cloud: 'aws',
  title: 'Object Lock mode and retention of the evidence bucket',
  why: 'the incident journal and evidence copies are write-once only under Object Lock; regulators (GDPR Art. 33, NIS2 Art. 23) and release both rely on them being untouched',
  severity: 7,
  operations: ['s3:GetObjectLockConfiguration'],
  subjects: evidenceBucket,
  reads: (s) => [awsRead('s3:GetObjectLockConfiguration', s.id, { Bucket: s.id })],
  evaluate(s, { view }) {
    const fix = `deploy deploy/evidence-bucket.yml (RetentionMode=COMPLIANCE, RetentionDays=400), or: aws s3api put-object-lock-configuration --bucket ${s.id} --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":400}}}'`;
    const out = valueOrAbsent<LockAnswer>(view, 's3:GetObjectLockConfiguration', s.id, [
      'ObjectLockConfigurationNotFoundError',
    ]);
    const config = out === 'absent' ? undefined : out.ObjectLockConfiguration;
    if (config?.ObjectLockEnabled !== 'Enabled')
      return fail('Object Lock is not enabled: journal entries and evidence can be deleted', fix);
    const retention = config.Rule?.DefaultRetention;
    const days = (retention?.Days ?? 0) + (retention?.Years ?? 0) * 365;
    if (!retention?.Mode || days < MIN_RETENTION_DAYS)
      return fail(
        retention?.Mode
          ? `default retention is ${days} days, under the ${MIN_RETENTION_DAYS} the NIS2 final report needs`
          : 'Object Lock is enabled without a default retention: new journal entries are not locked',
        fix,
      );
    return pass(
      `${retention.Mode} retention of ${days} days` +
        (retention.Mode === 'GOVERNANCE'
          ? ' (principals with s3:BypassGovernanceRetention can still delete: COMPLIANCE cannot be bypassed)'
          : ''),
    );
  },
};
