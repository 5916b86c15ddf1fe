// Every blob, container, snapshot and copy operation against Azurite, the real Storage emulator.
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import type { ActionResult, ExecContext } from '../../core/executor.ts';
import { copyBlobEvidence } from '../../functions-azure/executors/copy-blob-evidence.ts';
import { quarantineContainer } from '../../functions-azure/executors/quarantine-container.ts';
import { type SnapshotRecord, snapshotBlobs } from '../../functions-azure/executors/snapshot-blobs.ts';
import type { CopyBlobEvidence, QuarantineContainer, SnapshotBlobs } from '../../packs/azure/actions.ts';
import { azuriteClients, azuriteService, freshContainer } from './support/azurite.ts';
import { SUB, WEIGHTS } from './support/config.ts';

const clients = azuriteClients();
const noDeps: ExecContext = { incidentId: 'inc-1', results: new Map() };
const md5 = (data: string) => createHash('md5').update(data).digest('base64');

function containerAction(container: ContainerClient): QuarantineContainer {
  return {
    id: 'a2',
    kind: 'quarantine-container',
    category: 'quarantine',
    target: `${WEIGHTS}/blobServices/default/containers/${container.containerName}`,
    account: SUB,
    params: { storageAccountId: WEIGHTS, accountName: 'stweights', container: container.containerName },
    inverse: 'restore',
  };
}

function snapshotAction(
  container: ContainerClient,
  keys: string[],
  prefixes: string[],
  maxObjects = 1000,
): SnapshotBlobs {
  return {
    id: 'a3',
    kind: 'snapshot-blobs',
    category: 'snapshot',
    target: `${WEIGHTS}/blobServices/default/containers/${container.containerName}`,
    account: SUB,
    params: {
      storageAccountId: WEIGHTS,
      accountName: 'stweights',
      container: container.containerName,
      keys,
      prefixes,
      maxObjects,
    },
    inverse: 'none',
  };
}

async function upload(container: ContainerClient, name: string, body: string) {
  await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

describe('quarantine-container on Azurite', () => {
  const executor = quarantineContainer(clients);

  it('kills a SAS issued under a stored access policy, and release brings it back', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    await upload(container, 'model.bin', 'weights-v1');
    await container.setAccessPolicy(undefined, [
      { id: 'partner-read', accessPolicy: { permissions: 'r', expiresOn: new Date(Date.now() + 3600_000) } },
    ]);
    const sas = await container.getBlobClient('model.bin').generateSasUrl({ identifier: 'partner-read' });
    expect(await status(sas)).toBe(200);

    const action = containerAction(container);
    const before = await executor.read(action, noDeps);
    expect(before.policies.map((p) => p.id)).toEqual(['partner-read']);
    expect(await executor.apply(action, before, noDeps)).toMatchObject({
      outcome: 'applied',
      details: { removedPolicies: ['partner-read'] },
    });
    expect(await status(sas)).toBe(403);

    await executor.undo(action, before, noDeps);
    expect(await status(sas)).toBe(200);
  });

  it('makes a public container private, and release makes it public again', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    await upload(container, 'model.bin', 'weights-v1');
    await container.setAccessPolicy('blob');
    const anonymous = container.getBlobClient('model.bin').url;
    expect(await status(anonymous)).toBe(200);

    const action = containerAction(container);
    const before = await executor.read(action, noDeps);
    await executor.apply(action, before, noDeps);
    expect(await status(anonymous)).not.toBe(200);

    await executor.undo(action, before, noDeps);
    expect(await status(anonymous)).toBe(200);
  });

  it('reports already-applied for a private container without policies', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    const action = containerAction(container);
    expect((await executor.apply(action, await executor.read(action, noDeps), noDeps)).outcome).toBe(
      'already-applied',
    );
  });
});

describe('snapshot-blobs on Azurite', () => {
  const executor = snapshotBlobs(clients);

  it('snapshots the named blob and the prefix; snapshots read back the original bytes after an overwrite', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    await upload(container, 'checkpoints/a.safetensors', 'A-original');
    await upload(container, 'checkpoints/b.safetensors', 'B-original');
    await upload(container, 'other/c.bin', 'C-original');
    const action = snapshotAction(container, ['other/c.bin', 'gone.bin'], ['checkpoints/']);

    const before = await executor.read(action, noDeps);
    expect(before.missing).toEqual(['gone.bin']);
    const applied = await executor.apply(action, before, noDeps);
    const snapshots = applied.details?.snapshots as SnapshotRecord[];
    expect(snapshots.map((s) => s.name).sort()).toEqual([
      'checkpoints/a.safetensors',
      'checkpoints/b.safetensors',
      'other/c.bin',
    ]);

    await upload(container, 'checkpoints/a.safetensors', 'A-overwritten-by-attacker');
    const a = snapshots.find((s) => s.name === 'checkpoints/a.safetensors') as SnapshotRecord;
    const pinned = await container.getBlobClient(a.name).withSnapshot(a.snapshot).downloadToBuffer();
    expect(pinned.toString()).toBe('A-original');
    expect((await container.getBlobClient(a.name).downloadToBuffer()).toString()).toBe(
      'A-overwritten-by-attacker',
    );
    expect(a).toMatchObject({ contentLength: 'A-original'.length, contentMD5: md5('A-original') });
  });

  it('stops at maxObjects and says so', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    for (const n of [1, 2, 3]) await upload(container, `checkpoints/${n}.bin`, `x${n}`);
    const before = await executor.read(snapshotAction(container, [], ['checkpoints/'], 2), noDeps);
    expect(before.blobs).toHaveLength(2);
    expect(before.truncated).toBe(true);
  });

  it('snapshots what is there when the blob changed after the read, and marks it', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    await upload(container, 'checkpoints/a.bin', 'first');
    const action = snapshotAction(container, [], ['checkpoints/']);
    const before = await executor.read(action, noDeps);
    await upload(container, 'checkpoints/a.bin', 'second');
    const applied = await executor.apply(action, before, noDeps);
    const [s] = (applied.details?.snapshots ?? []) as SnapshotRecord[];
    expect(s).toMatchObject({ changedSinceRead: true, contentMD5: md5('second') });
  });

  it('keeps snapshots on release', async () => {
    const container = await freshContainer(azuriteService(), 'weights');
    await upload(container, 'checkpoints/a.bin', 'bytes');
    const action = snapshotAction(container, [], ['checkpoints/']);
    const before = await executor.read(action, noDeps);
    await executor.apply(action, before, noDeps);
    expect((await executor.undo(action, before, noDeps)).outcome).toBe('already-applied');
    let count = 0;
    for await (const b of container.listBlobsFlat({ includeSnapshots: true })) if (b.snapshot) count++;
    expect(count).toBe(1);
  });
});

describe('copy-blob-evidence on Azurite', () => {
  async function pinned(container: ContainerClient, body: string): Promise<ActionResult> {
    await upload(container, 'checkpoints/model.bin', body);
    const snap = snapshotBlobs(clients);
    const action = snapshotAction(container, [], ['checkpoints/']);
    const applied = await snap.apply(action, await snap.read(action, noDeps), noDeps);
    return {
      actionId: 'a3',
      kind: 'snapshot-blobs',
      category: 'snapshot',
      target: action.target,
      ...applied,
    };
  }

  function copyAction(
    source: ContainerClient,
    evidence: ContainerClient,
    syncCopyMaxBytes: number,
  ): CopyBlobEvidence {
    return {
      id: 'a4',
      kind: 'copy-blob-evidence',
      category: 'snapshot',
      target: `${WEIGHTS}/blobServices/default/containers/${source.containerName}`,
      account: SUB,
      dependsOn: ['a3'],
      params: {
        storageAccountId: WEIGHTS,
        accountName: 'stweights',
        container: source.containerName,
        evidenceStorageAccountId: WEIGHTS,
        evidenceAccountName: 'stevidence',
        evidenceContainer: evidence.containerName,
        evidencePrefix: `incidents/inc-1/blobs/stweights/${source.containerName}/`,
        snapshotAction: 'a3',
        syncCopyMaxBytes,
      },
      inverse: 'none',
    };
  }

  it.each([
    ['synchronously (Copy Blob From URL)', 1024 * 1024, 'sync'],
    ['asynchronously with polling (above the sync limit)', 0, 'async'],
  ])('copies the snapshot %s, never overwrites, and verifies the bytes', async (_how, limit, mode) => {
    const [source, evidence] = [
      await freshContainer(azuriteService(), 'weights'),
      await freshContainer(azuriteService(), 'evidence'),
    ];
    const ctx: ExecContext = {
      incidentId: 'inc-1',
      results: new Map([['a3', await pinned(source, 'the-weights')]]),
    };
    await upload(source, 'checkpoints/model.bin', 'overwritten-after-the-snapshot');
    const executor = copyBlobEvidence(clients, { pollIntervalMs: 10 });
    const action = copyAction(source, evidence, limit);

    const first = await executor.apply(action, await executor.read(action, ctx), ctx);
    expect(first).toMatchObject({
      outcome: 'applied',
      details: { copies: [{ mode, contentMD5: md5('the-weights') }] },
    });
    const target = `incidents/inc-1/blobs/stweights/${source.containerName}/checkpoints/model.bin`;
    expect((await evidence.getBlobClient(target).downloadToBuffer()).toString()).toBe('the-weights');

    const again = await executor.apply(action, await executor.read(action, ctx), ctx);
    expect(again).toMatchObject({ outcome: 'already-applied', details: { copies: [{ mode: 'existing' }] } });
  });

  it('fails loudly when an evidence blob of the same name holds other bytes', async () => {
    const [source, evidence] = [
      await freshContainer(azuriteService(), 'weights'),
      await freshContainer(azuriteService(), 'evidence'),
    ];
    const ctx: ExecContext = {
      incidentId: 'inc-1',
      results: new Map([['a3', await pinned(source, 'the-weights')]]),
    };
    await upload(
      evidence,
      `incidents/inc-1/blobs/stweights/${source.containerName}/checkpoints/model.bin`,
      'planted',
    );
    const executor = copyBlobEvidence(clients);
    const action = copyAction(source, evidence, 1024);
    await expect(executor.apply(action, await executor.read(action, ctx), ctx)).rejects.toThrow(
      /does not match snapshot/,
    );
  });
});
