/**
 * The simulated clouds keep the semantics the executors depend on: the journal stores' write-once
 * contract holds over them exactly as over S3 (aws-sdk-client-mock) and Azurite, and the behaviours
 * containment hangs on answer as the real services do.
 */

import { readFileSync } from 'node:fs';
import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { s3WriteOnceStore } from '../../functions-aws/journal-store.ts';
import { snapshotSigner } from '../../functions-azure/executors/source-sas.ts';
import { blobJournalStore } from '../../functions-azure/journal-store.ts';
import { simulatedWorld } from '../../sim/world.ts';
import { writeOnceStoreContract } from '../contract/write-once-store.ts';

const config = parseConfig(JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')));

function world() {
  const w = simulatedWorld();
  w.seed(config, []);
  return w;
}

describe('simulated S3 behind a real S3Client', () => {
  writeOnceStoreContract(() => s3WriteOnceStore(world().aws.s3, 'ir-evidence-111122223333'));

  it('refuses a CopyObject above 5 GB, as S3 does, and a copy of a changed source', async () => {
    const w = world();
    w.s3.object('models-prod', 'weights/big.bin', { size: 6 * 1024 ** 3, etag: '"big"' });
    const copy = (ifMatch: string) =>
      w.aws.s3.send(
        new CopyObjectCommand({
          Bucket: 'ir-evidence-111122223333',
          Key: 'k',
          CopySource: 'models-prod/weights/big.bin',
          CopySourceIfMatch: ifMatch,
        }),
      );
    await expect(copy('"big"')).rejects.toMatchObject({
      name: 'InvalidRequest',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(copy('"other"')).rejects.toMatchObject({ name: 'PreconditionFailed' });
  });

  it('survives a save and load as plain JSON', async () => {
    const w = world();
    await w.aws.s3.send(new PutObjectCommand({ Bucket: 'ir-evidence-111122223333', Key: 'a', Body: 'x' }));
    const again = simulatedWorld();
    again.load(JSON.parse(JSON.stringify(w.save())));
    expect(again.s3.buckets.get('ir-evidence-111122223333')?.objects.get('a')?.[0]?.body).toBe('x');
  });
});

describe('simulated Azure Blob storage', () => {
  writeOnceStoreContract(() =>
    blobJournalStore(world().azure.blob('stevidence').getContainerClient('evidence')),
  );

  it('snapshots only the version it was asked for (If-Match), 412 otherwise', async () => {
    const blob = world()
      .azure.blob('stweights')
      .getContainerClient('model-weights')
      .getBlobClient('checkpoints/shard-00001.safetensors');
    const { etag } = await blob.getProperties();
    expect((await blob.createSnapshot({ conditions: { ifMatch: etag } })).snapshot).toMatch(/^\d{4}-/);
    await expect(blob.createSnapshot({ conditions: { ifMatch: '"0xSTALE"' } })).rejects.toMatchObject({
      statusCode: 412,
    });
  });

  it('lets no user delegation SAS signed before revokeUserDelegationKeys copy anything', async () => {
    const w = world();
    const service = w.azure.blob('stweights');
    const blob = service
      .getContainerClient('model-weights')
      .getBlobClient('checkpoints/shard-00001.safetensors');
    const { snapshot } = await blob.createSnapshot();
    const sign = snapshotSigner(service, () => new Date());
    const early = await sign('model-weights', blob.name, snapshot ?? '');
    await w.azure
      .storage(config.azure?.subscriptions[0] ?? '')
      .storageAccounts.revokeUserDelegationKeys('rg-ml', 'stweights');
    const target = w.azure.blob('stevidence').getContainerClient('evidence');
    await expect(target.getBlobClient('early').syncCopyFromURL(early)).rejects.toMatchObject({
      statusCode: 403,
    });
    const late = await snapshotSigner(service, () => new Date())('model-weights', blob.name, snapshot ?? '');
    await target.getBlobClient('late').syncCopyFromURL(late);
    expect((await target.getBlobClient('late').getProperties()).contentMD5).toEqual(
      (await blob.getProperties()).contentMD5,
    );
  });

  it('answers ARM with the SDK reading the account as Azure returns it', async () => {
    const w = world();
    const accounts = w.azure.storage(config.azure?.subscriptions[0] ?? '').storageAccounts;
    await accounts.update('rg-ml', 'stweights', {
      allowSharedKeyAccess: false,
      networkRuleSet: {
        defaultAction: 'Deny',
        ipRules: [{ iPAddressOrRange: '198.51.100.0/28', action: 'Allow' }],
      },
    });
    const read = await accounts.getProperties('rg-ml', 'stweights');
    expect(read).toMatchObject({
      allowSharedKeyAccess: false,
      networkRuleSet: { defaultAction: 'Deny', ipRules: [{ iPAddressOrRange: '198.51.100.0/28' }] },
    });
  });
});
