import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { assetBuckets } from '../subjects.ts';

/** Versioning keeps what an attacker overwrites or deletes. */
export const s3Versioning: PostureCheck = {
  id: 'aws.s3-versioning',
  cloud: 'aws',
  title: 'Versioning on the asset bucket',
  why: 'pin-objects records object versions as evidence and turns versioning on during an incident; objects overwritten or deleted before that are gone',
  severity: 5,
  operations: ['s3:GetBucketVersioning'],
  subjects: assetBuckets,
  reads: (s) => [awsRead('s3:GetBucketVersioning', s.id, { Bucket: s.id })],
  evaluate(s, { view }) {
    const status = view.value<{ Status?: string }>('s3:GetBucketVersioning', s.id).Status;
    if (status === 'Enabled') return pass('versioning is enabled');
    return fail(
      status === 'Suspended' ? 'versioning is suspended' : 'versioning was never enabled',
      `aws s3api put-bucket-versioning --bucket ${s.id} --versioning-configuration Status=Enabled`,
    );
  },
};
