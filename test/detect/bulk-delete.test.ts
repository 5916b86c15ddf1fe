import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { decoded, lines } from '../../core/detect/formats/input.ts';
import { jsonArrayElements } from '../../core/detect/formats/json-array-stream.ts';
import type { DetectRecord, ObjectAccess } from '../../core/detect/records.ts';
import { signalOf } from '../../core/detect/signals.ts';
import { FORMATS, type FormatName } from '../../packs/index.ts';
import { ACCOUNT, detectConfig, FIXTURES, STORAGE_ACCOUNT } from './detect-config.ts';
import { flagged, runDetectors } from './run-detectors.ts';

/** Every record of a fixture (malformed units would throw: these fixtures have none). */
async function records(file: string, format: FormatName): Promise<ObjectAccess[]> {
  const parse = FORMATS[format].open({ defaultAccount: ACCOUNT });
  const stream = decoded(createReadStream(join(FIXTURES, file)));
  const out: DetectRecord[] = [];
  if (FORMATS[format].framing === 'lines') {
    for await (const batch of lines(stream)) for (const line of batch) out.push(...parse(line));
  } else {
    for await (const { elements } of jsonArrayElements(stream))
      for (const e of elements) out.push(...parse(e));
  }
  return out as ObjectAccess[];
}

const deletes = (rs: ObjectAccess[]) => rs.filter((r) => r.op === 'delete');
/** The rule's figures an alert carries. */
const evidence = (a: Alert | undefined) => (a?.context.evidence ?? {}) as Record<string, unknown>;
const MALLORY = `arn:aws:iam::${ACCOUNT}:user/mallory`;

describe('bulk deletions are read as deletes', () => {
  it('S3 access logs: each BATCH.DELETE.OBJECT line of a DeleteObjects call is one object delete', async () => {
    const rs = deletes(await records('s3-access-batch-delete.log', 's3-access'));
    // 24 keys of the attacker's call + 3 of the CI clean-up; the request line (key `-`) and the
    // denied delete are none.
    expect(rs).toHaveLength(27);
    expect(rs[0]).toMatchObject({
      principal: { id: MALLORY },
      key: 'weights/model-00001-of-00024.safetensors',
      objectId: 's3://models-prod/weights/model-00001-of-00024.safetensors',
      sourceId: '7D1E0A11DEXAMPLE',
      network: { ip: '203.0.113.77' },
    });
    expect(rs.filter((r) => r.batch)).toEqual([]);
  });

  it('CloudTrail: DeleteObjects (keys not logged) is one batch delete of the bucket; denied calls none', async () => {
    const rs = await records('cloudtrail-s3-delete-objects.json', 'cloudtrail');
    expect(rs.map((r) => [r.op, r.batch, r.key, r.objectId, r.principal.id, r.sourceId])).toEqual([
      [
        'delete',
        true,
        '',
        's3://models-prod/',
        expect.stringContaining('contractor-role'),
        '0a1b2c3d-0dd1-4e5f-8a9b-00000000d001',
      ],
      [
        'delete',
        true,
        '',
        's3://models-prod/',
        expect.stringContaining('contractor-role'),
        '0a1b2c3d-0dd2-4e5f-8a9b-00000000d002',
      ],
      [
        'delete',
        true,
        '',
        's3://models-prod/',
        expect.stringContaining('model-publish-ci'),
        '0a1b2c3d-0dd3-4e5f-8a9b-00000000d003',
      ],
    ]);
  });

  it('CloudTrail: a DeleteObjects record that names objects by ARN gives one delete per object', async () => {
    const [rec] = JSON.parse(
      (await import('node:fs')).readFileSync(join(FIXTURES, 'cloudtrail-s3-delete-objects.json'), 'utf8'),
    ).Records;
    rec.resources = [
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::models-prod/weights/a.safetensors' },
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::models-prod/weights/b%20c.bin' },
      { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::models-prod', accountId: ACCOUNT },
    ];
    const parse = FORMATS.cloudtrail.open({ defaultAccount: ACCOUNT });
    const rs = parse(JSON.stringify(rec)) as ObjectAccess[];
    expect(rs.map((r) => [r.op, r.batch, r.objectId])).toEqual([
      ['delete', undefined, 's3://models-prod/weights/a.safetensors'],
      ['delete', undefined, 's3://models-prod/weights/b%20c.bin'],
    ]);
  });

  it('Azure StorageBlobLogs: DeleteBlob records of a Blob Batch are deletes, a denied one is not', async () => {
    const rs = deletes(await records('azure-storage-delete-batch.jsonl', 'azure-storage'));
    expect(rs).toHaveLength(22);
    expect(rs[0]?.store.id).toBe(`${STORAGE_ACCOUNT}/blobServices/default/containers/models`);
  });
});

describe('bulk-delete rule', () => {
  it('alerts on the attacker who deleted 24 weight shards, not on the CI clean-up of 3', async () => {
    const rs = await records('s3-access-batch-delete.log', 's3-access');
    const { alerts } = await runDetectors(detectConfig(), [rs]);
    expect(flagged(alerts, T.bulkDelete)).toEqual([MALLORY]);
    const alert = alerts.find((a) => a.type === T.bulkDelete);
    expect(evidence(alert)).toMatchObject({
      crossed: 'objects',
      objects: 24,
      approved: 0,
      batches: 0,
      maxObjects: 20,
    });
    expect(alert?.title).toContain('deleted 24 weight objects');
  });

  it('counts across files and holds the threshold from config', async () => {
    const rs = (await records('s3-access-batch-delete.log', 's3-access')).filter(
      (r) => r.principal.id === MALLORY,
    );
    const half = Math.floor(rs.length / 2);
    const split = await runDetectors(detectConfig(), [rs.slice(0, half), rs.slice(half)]);
    expect(flagged(split.alerts, T.bulkDelete)).toEqual([MALLORY]);
    const lenient = detectConfig({ thresholds: { bulkDelete: { maxObjects: 30 } } });
    expect(flagged((await runDetectors(lenient, [rs])).alerts, T.bulkDelete)).toEqual([]);
  });

  it('deletes outside the weight stores or of non-weight files are not counted', async () => {
    const rs = (await records('s3-access-batch-delete.log', 's3-access')).map((r) => ({
      ...r,
      store: { ...r.store, id: 'arn:aws:s3:::scratch', name: 'scratch' },
      objectId: r.objectId.replace('models-prod', 'scratch'),
    }));
    expect(flagged((await runDetectors(detectConfig(), [rs])).alerts, T.bulkDelete)).toEqual([]);
  });

  it('CloudTrail: one DeleteObjects call naming no key on a weight bucket is a bulk deletion of unknown size', async () => {
    const rs = await records('cloudtrail-s3-delete-objects.json', 'cloudtrail');
    const { alerts } = await runDetectors(detectConfig(), [rs]);
    const hits = alerts.filter((a) => a.type === T.bulkDelete);
    expect(hits.map((a) => [evidence(a).actor, evidence(a).crossed, evidence(a).batches])).toEqual([
      ['arn:aws:sts::111122223333:assumed-role/contractor-role/wipe-session', 'batch-requests', 2],
      ['arn:aws:sts::111122223333:assumed-role/model-publish-ci/build-812', 'batch-requests', 1],
    ]);
    const ci = hits[1];
    expect(evidence(ci)).toMatchObject({ objects: 0, unknownSize: true, batchStores: ['models-prod'] });
    expect(ci?.title).toBe(
      'arn:aws:iam::111122223333:role/model-publish-ci deleted with 1 DeleteObjects call(s) naming no key on protected models-prod (a bulk deletion of unknown size, up to 1,000 objects per call) in 60 min',
    );
    expect(signalOf(ci as Alert)?.says).toBe(
      '1 DeleteObjects call(s) naming no key on protected models-prod: a bulk deletion of unknown size (up to 1,000 objects per call) in 60 min',
    );
  });

  it('CloudTrail: maxBatchRequests 1 tolerates one DeleteObjects call, not two', async () => {
    const rs = await records('cloudtrail-s3-delete-objects.json', 'cloudtrail');
    const lenient = detectConfig({ thresholds: { bulkDelete: { maxBatchRequests: 1 } } });
    const { alerts } = await runDetectors(lenient, [rs]);
    expect(alerts.filter((a) => a.type === T.bulkDelete).map((a) => evidence(a).actor)).toEqual([
      'arn:aws:sts::111122223333:assumed-role/contractor-role/wipe-session',
    ]);
  });

  it('a DeleteObjects call outside the protected stores is not counted', async () => {
    const rs = (await records('cloudtrail-s3-delete-objects.json', 'cloudtrail')).map((r) => ({
      ...r,
      store: { ...r.store, id: 'arn:aws:s3:::scratch', name: 'scratch' },
      objectId: 's3://scratch/',
    }));
    expect(flagged((await runDetectors(detectConfig(), [rs])).alerts, T.bulkDelete)).toEqual([]);
  });

  it('a mass deletion of approved artifacts alerts wherever they live; one alone is artifact-modified', async () => {
    const rs = deletes(await records('s3-access-batch-delete.log', 's3-access'))
      .filter((r) => r.principal.id === MALLORY)
      .slice(0, 2)
      .map((r) => ({
        ...r,
        store: { ...r.store, id: 'arn:aws:s3:::release', name: 'release' },
        objectId: r.objectId.replace('models-prod', 'release'),
      }));
    const manifest = rs.map((r) => ({ location: r.objectId, sha256: 'a'.repeat(64) }));
    const both = await runDetectors(detectConfig({ manifest }), [rs]);
    expect(evidence(both.alerts.find((a) => a.type === T.bulkDelete))).toMatchObject({
      crossed: 'approved-artifacts',
      approved: 2,
    });
    const one = await runDetectors(detectConfig({ manifest }), [rs.slice(0, 1)]);
    expect(flagged(one.alerts, T.bulkDelete)).toEqual([]);
    expect(flagged(one.alerts, T.artifactModified)).toEqual([MALLORY]);
  });

  it('Azure: 22 DeleteBlob by one service principal in the weights container cross maxObjects', async () => {
    const rs = await records('azure-storage-delete-batch.jsonl', 'azure-storage');
    const { alerts } = await runDetectors(detectConfig(), [rs]);
    expect(flagged(alerts, T.bulkDelete)).toEqual(['9c1d0e2f-3333-4444-8555-666677778888']);
  });
});
