import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { assetBuckets, valueOrAbsent } from '../subjects.ts';

/** Object Lock makes legal holds possible. */
export const s3ObjectLock: PostureCheck = {
  id: 'aws.s3-object-lock',
  cloud: 'aws',
  title: 'Object Lock on the asset bucket (legal holds)',
  why: 'pin-objects places a legal hold on each pinned version only where Object Lock is enabled; without it evidence can still be deleted by anyone allowed to',
  severity: 4,
  operations: ['s3:GetObjectLockConfiguration'],
  subjects: assetBuckets,
  reads: (s) => [awsRead('s3:GetObjectLockConfiguration', s.id, { Bucket: s.id })],
  evaluate(s, { view }) {
    const out = valueOrAbsent<{ ObjectLockConfiguration?: { ObjectLockEnabled?: string } }>(
      view,
      's3:GetObjectLockConfiguration',
      s.id,
      ['ObjectLockConfigurationNotFoundError'],
    );
    if (out !== 'absent' && out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled')
      return pass('Object Lock is enabled: legal holds can be placed');
    return fail(
      'Object Lock is not enabled: pinned versions cannot be put under legal hold',
      `aws s3api put-bucket-versioning --bucket ${s.id} --versioning-configuration Status=Enabled && aws s3api put-object-lock-configuration --bucket ${s.id} --object-lock-configuration '{"ObjectLockEnabled":"Enabled"}' (legal holds need no default retention)`,
    );
  },
};
