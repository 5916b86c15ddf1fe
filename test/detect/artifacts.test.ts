import { describe, expect, it } from 'vitest';
import type { PrincipalRef } from '../../core/alert.ts';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import type { ObjectAccess } from '../../core/detect/records.ts';
import { ACCOUNT, detectConfig, STORAGE_ACCOUNT, SUBSCRIPTION } from './detect-config.ts';
import { runDetectors } from './run-detectors.ts';
import { iamUser } from './traffic/principals.ts';
import { prng } from './traffic/prng.ts';
import { score } from './traffic/score.ts';

const SHA = 'a'.repeat(64);
const MD5 = 'CY9rzUYh03PK3k6DJie09g==';
const APPROVED_S3 = 's3://models-prod/weights/model-00001-of-00004.safetensors';
const APPROVED_BLOB =
  'https://llmweights.blob.core.windows.net/models/llama/model-00001-of-00002.safetensors';
const manifest = [
  { location: APPROVED_S3, sha256: SHA, etag: 'd41d8cd98f00b204e9800998ecf8427e', size: 4294967296 },
  { location: APPROVED_BLOB, md5: MD5 },
];

function write(
  op: ObjectAccess['op'],
  objectId: string,
  who: PrincipalRef,
  extra: Partial<ObjectAccess> = {},
): ObjectAccess {
  const s3 = objectId.startsWith('s3://');
  const [bucket = '', ...key] = s3
    ? objectId.slice(5).split('/')
    : new URL(objectId).pathname.slice(1).split('/');
  return {
    kind: 'object-access',
    op,
    cloud: s3 ? 'aws' : 'azure',
    account: s3 ? ACCOUNT : SUBSCRIPTION,
    at: Date.UTC(2026, 10, 25, 10),
    principal: who,
    store: s3
      ? { id: `arn:aws:s3:::${bucket}`, kind: 'bucket', name: bucket }
      : {
          id: `${STORAGE_ACCOUNT}/blobServices/default/containers/${bucket}`,
          kind: 'container',
          name: `llmweights/${bucket}`,
          storageAccountId: STORAGE_ACCOUNT,
        },
    key: key.join('/'),
    objectId,
    bytes: 1024,
    network: { ip: '10.20.3.4' },
    sourceId: `ev-${objectId}-${op}-${who.id}`,
    ...extra,
  };
}

describe('artifact integrity and copies (detect.manifest)', () => {
  it('flags tampering and copies, not re-uploads of the same bytes or unrelated writes', async () => {
    const rng = prng(21);
    const benign: ObjectAccess[] = [];
    for (let i = 0; i < 200; i++) {
      const who = iamUser(`dev-${rng.int(0, 9)}`);
      benign.push(
        write('write', `s3://training-data/batch-${i}.parquet`, who, {
          checksums: { sha256: rng.int(0, 1e9).toString(16).padStart(64, '0') },
        }),
      );
    }
    benign.push(write('write', APPROVED_S3, iamUser('release-bot'), { checksums: { sha256: SHA } }));
    benign.push(
      write('write', APPROVED_BLOB, iamUser('release-bot'), { checksums: { md5: MD5, etag: '"0x8DC"' } }),
    );
    const tamperers = [iamUser('poisoner'), iamUser('wiper'), iamUser('blind-writer')];
    const copiers = [iamUser('copier'), iamUser('mirror')];
    const attacks = [
      write('write', APPROVED_S3, tamperers[0] as PrincipalRef, { checksums: { sha256: 'b'.repeat(64) } }),
      write('delete', APPROVED_BLOB, tamperers[1] as PrincipalRef),
      write('write', APPROVED_S3, tamperers[2] as PrincipalRef),
      write('copy', 's3://scratch-share/m1.safetensors', copiers[0] as PrincipalRef, {
        copySource: APPROVED_S3,
      }),
      write(
        'write',
        'https://llmweights.blob.core.windows.net/public-share/x.bin',
        copiers[1] as PrincipalRef,
        { checksums: { md5: MD5 } },
      ),
    ];
    const { alerts } = await runDetectors(detectConfig({ manifest }), [[...benign, ...attacks]]);
    const modified = alerts.filter((a) => a.type === T.artifactModified);
    const copied = alerts.filter((a) => a.type === T.artifactCopied);
    score(
      'artifact-modified',
      modified.map((a) => a.principal?.id ?? ''),
      tamperers.map((p) => p.id),
      { precision: 1, recall: 1 },
    );
    score(
      'artifact-copied',
      copied.map((a) => a.principal?.id ?? ''),
      copiers.map((p) => p.id),
      { precision: 1, recall: 1 },
    );
    expect(modified.map((a) => (a.context.evidence as { verdict: string }).verdict).sort()).toEqual([
      'deleted',
      'differ',
      'unknown',
    ]);
    expect(copied.find((a) => a.principal?.id === copiers[0]?.id)?.context.evidence).toMatchObject({
      original: APPROVED_S3,
      copy: 's3://scratch-share/m1.safetensors',
      destinationIsAsset: false,
    });
  });

  it('is silent without a manifest', async () => {
    const { alerts } = await runDetectors(detectConfig(), [[write('delete', APPROVED_S3, iamUser('wiper'))]]);
    expect(alerts.filter((a) => a.type === T.artifactModified || a.type === T.artifactCopied)).toEqual([]);
  });
});
