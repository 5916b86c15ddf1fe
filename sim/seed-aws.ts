import { createHash } from 'node:crypto';
import type { Alert } from '../core/alert.ts';
import type { Config } from '../core/config.ts';
import { parseIamArn } from '../core/names.ts';
import { parseObjectUri } from '../packs/aws/names.ts';
import type { SimIam } from './aws/iam.ts';
import type { SimS3 } from './aws/s3.ts';

const MiB = 1024 ** 2;

/**
 * A small, plausible AWS estate: each configured asset bucket (versioned, with a team policy) with
 * the objects the alerts name and a few shards under each prefix; the evidence bucket with
 * versioning and Object Lock, as deploy/evidence-bucket.yml makes it; the roles and users the
 * alerts name, users with the access key the alert shows.
 */
export function seedAws(sim: { s3: SimS3; iam: SimIam }, config: Config, alerts: readonly Alert[]): void {
  const aws = config.aws;
  if (!aws) return;
  const account = aws.accounts[0] ?? '111122223333';
  sim.s3.bucket(aws.evidenceBucket, { versioning: 'Enabled', objectLock: true });
  for (const asset of aws.assets) {
    sim.s3.bucket(asset.bucket, {
      versioning: asset.kind === 'model-weights' ? 'Enabled' : undefined,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TeamRead',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${asset.bucket}/*`,
          },
        ],
      }),
      tags: [{ Key: 'data-class', Value: asset.kind }],
    });
    for (const prefix of asset.prefixes.length ? asset.prefixes : ['']) {
      for (let i = 1; i <= 2; i++)
        object(sim.s3, asset.bucket, `${prefix}shard-${String(i).padStart(5, '0')}.bin`, 256 * MiB);
    }
  }
  for (const alert of alerts.filter((a) => a.cloud === 'aws')) {
    for (const r of alert.resources) {
      const o = r.kind === 'object' ? parseObjectUri(r.id) : undefined;
      if (o && sim.s3.buckets.has(o.bucket)) object(sim.s3, o.bucket, o.key, 512 * MiB);
    }
    const p = alert.principal;
    const arn = p ? parseIamArn(p.id) : undefined;
    if (p && arn?.type === 'role') sim.iam.role(arn.name);
    if (p && arn?.type === 'user') {
      const key = p.accessKeyId?.startsWith('AKIA') ? p.accessKeyId : 'AKIAEXAMPLESIMULATED';
      sim.iam.user(arn.name, [{ id: key, status: 'Active' }]);
    }
  }
}

function object(s3: SimS3, bucket: string, key: string, size: number): void {
  if (s3.buckets.get(bucket)?.objects.has(key)) return;
  const digest = createHash('sha256').update(`${bucket}/${key}`).digest();
  s3.object(bucket, key, { size, checksumSHA256: digest.toString('base64') });
}
