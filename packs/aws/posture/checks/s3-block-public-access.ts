import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { assetBuckets, valueOrAbsent } from '../subjects.ts';

const FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
type Block = Partial<Record<(typeof FLAGS)[number], boolean>>;

/** Block Public Access, at the bucket or the account, and no public bucket policy. */
export const s3BlockPublicAccess: PostureCheck = {
  id: 'aws.s3-block-public-access',
  cloud: 'aws',
  title: 'Block Public Access on the asset bucket',
  why: 'a public bucket is read by anonymous principals that no revocation can stop; quarantine turns the block on, posture keeps it on before an incident',
  severity: 7,
  operations: ['s3:GetPublicAccessBlock', 's3control:GetPublicAccessBlock', 's3:GetBucketPolicyStatus'],
  subjects: assetBuckets,
  reads: (s) => [
    awsRead('s3:GetPublicAccessBlock', s.id, { Bucket: s.id }),
    awsRead('s3control:GetPublicAccessBlock', s.account, { AccountId: s.account }),
    awsRead('s3:GetBucketPolicyStatus', s.id, { Bucket: s.id }),
  ],
  evaluate(s, { view }) {
    const flags = (op: string, key: string): Block => {
      const out = valueOrAbsent<{ PublicAccessBlockConfiguration?: Block }>(view, op, key, [
        'NoSuchPublicAccessBlockConfiguration',
      ]);
      return out === 'absent' ? {} : (out.PublicAccessBlockConfiguration ?? {});
    };
    const bucket = flags('s3:GetPublicAccessBlock', s.id);
    const account = flags('s3control:GetPublicAccessBlock', s.account);
    const off = FLAGS.filter((f) => !bucket[f] && !account[f]);
    const status = valueOrAbsent<{ PolicyStatus?: { IsPublic?: boolean } }>(
      view,
      's3:GetBucketPolicyStatus',
      s.id,
      ['NoSuchBucketPolicy'],
    );
    const publicPolicy = status !== 'absent' && status.PolicyStatus?.IsPublic === true;
    if (!off.length && !publicPolicy)
      return pass(
        `all four settings on (${FLAGS.every((f) => account[f]) ? 'account-wide' : 'on the bucket'})`,
      );
    return fail(
      [
        ...(off.length ? [`off at bucket and account: ${off.join(', ')}`] : []),
        ...(publicPolicy ? ['the bucket policy is public'] : []),
      ].join('; '),
      `aws s3api put-public-access-block --bucket ${s.id} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
    );
  },
};
