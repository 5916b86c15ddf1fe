import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { createScanHandler } from '../../functions-aws/handlers/scan.ts';
import { PACKS } from '../../packs/index.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';

// CloudTrail S3 data event shape: S3 User Guide, "CloudTrail log file entries for Amazon S3".
// S3 notification and EventBridge "Object Created" shapes: S3 User Guide, "Event message structure"
// and "Amazon EventBridge event message structure".

const LOG_BUCKET = 'org-cloudtrail-logs';
const KEY = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/25/${ACCOUNT}_CloudTrail_us-east-1_20261125T1005Z_Ab12 Cd34.json.gz`;
const s3 = mockClient(S3Client);

function getObject(i: number, who: string, ip: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${who}-s`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${who}/${who}-s`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${ACCOUNT}:role/${who}`,
          accountId: ACCOUNT,
          userName: who,
        },
      },
    },
    eventTime: `2026-11-25T10:0${i}:00Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    requestParameters: {
      bucketName: 'models-prod',
      Host: 'models-prod.s3.us-east-1.amazonaws.com',
      key: `weights/model-0000${i}-of-00004.safetensors`,
    },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      bytesTransferredIn: 0,
      bytesTransferredOut: 2 * 1024 ** 3,
    },
    requestID: `REQ${who}${i}`,
    eventID: `0a1b2c3d-000${i}-4e5f-8a9b-${who.padEnd(12, '0').slice(0, 12)}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Data',
    ...extra,
  };
}

function trailFile() {
  const records = [
    ...[1, 2, 3, 4].map((i) => getObject(i, 'contractor-role', '198.51.100.23')),
    ...[1, 2].map((i) =>
      getObject(i, 'llm-inference-role', '10.20.1.15', { vpcEndpointId: 'vpce-0a1b2c3d4e5f60718' }),
    ),
  ];
  return gzipSync(Buffer.from(JSON.stringify({ Records: records })));
}

const notification = (key = KEY) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-11-25T10:10:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: LOG_BUCKET, arn: `arn:aws:s3:::${LOG_BUCKET}` },
        object: {
          key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
          size: 2048,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          sequencer: '0A1B2C3D4E5F678901',
        },
      },
    },
  ],
});

function setup(config = detectConfig()) {
  const cloud = fakeCloud();
  // Built once, as at a cold start: the journal and the window state outlive one delivery.
  const deps = {
    config,
    s3: new S3Client({ region: 'us-east-1' }),
    state: memoryWindowStore(),
    contain: {
      config,
      executors: cloud.executors,
      packs: PACKS,
      journal: incidentJournal(memoryStore()),
      retry: instantRetry,
    },
  };
  const handler = createScanHandler(async () => deps);
  return { cloud, handler };
}

afterEach(() => s3.reset());

describe('scan handler (AWS)', () => {
  it('streams a gzip CloudTrail file from S3 and contains what the detectors find, once', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([trailFile()]) }));
    const { cloud, handler } = setup();
    const result = await handler(notification());
    expect(s3).toReceiveCommandWith(GetObjectCommand, { Bucket: LOG_BUCKET, Key: KEY });
    expect(result).toMatchObject({
      scanned: [
        {
          object: `s3://${LOG_BUCKET}/${KEY}`,
          stats: { format: 'cloudtrail', units: 6, records: 6, malformed: 0 },
        },
      ],
    });
    const decisions = 'decisions' in result ? result.decisions : [];
    const byType = Object.fromEntries(decisions.map((d) => [d.alert?.type, d]));
    // Bulk volume, a first-ever reader and an unexpected network: one corroborated finding, high.
    expect(Object.keys(byType)).toEqual([T.bulkRead]);
    expect(byType[T.bulkRead]).toMatchObject({
      decision: 'contain',
      alert: { source: 'detector', principal: `arn:aws:iam::${ACCOUNT}:role/contractor-role` },
    });
    // The contractor is revoked; models-prod, which the known readers serve from, stays up.
    expect(byType[T.bulkRead]?.actions.map((a: { kind: string }) => a.kind)).toEqual([
      'revoke-role-sessions',
      'pin-objects',
      'copy-evidence',
      'escalate',
    ]);
    expect(byType[T.bulkRead]?.reason).toMatch(
      /quarantine of arn:aws:s3:::models-prod withheld: workloads read it/,
    );
    const applied = cloud.mutations().length;
    expect(applied).toBeGreaterThan(0);

    // The same notification again (at-least-once delivery): nothing is applied twice.
    await handler(notification());
    expect(cloud.mutations()).toHaveLength(applied);
  });

  it('with no detector modes configured, audits: records what it would do and changes nothing', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([trailFile()]) }));
    const { cloud, handler } = setup(detectConfig({ modes: {} }));
    const result = await handler(notification());
    expect(result).toMatchObject({
      decisions: [],
      audited: [
        {
          type: T.bulkRead,
          actor: expect.stringContaining('assumed-role/contractor-role/'),
          principal: `arn:aws:iam::${ACCOUNT}:role/contractor-role`,
          confidence: 'high',
          mode: 'audit',
          wouldDecide: 'contain',
          signals: expect.arrayContaining(['first read of weights by this principal ever']),
        },
      ],
    });
    expect(cloud.mutations()).toEqual([]);
  });

  it('accepts the EventBridge Object Created shape (key not encoded)', async () => {
    s3.on(GetObjectCommand, { Bucket: LOG_BUCKET, Key: KEY }).callsFake(() => ({
      Body: Readable.from([trailFile()]),
    }));
    const { handler } = setup();
    const event = {
      version: '0',
      id: 'e-1',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: ACCOUNT,
      time: '2026-11-25T10:10:00Z',
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${LOG_BUCKET}`],
      detail: {
        version: '0',
        bucket: { name: LOG_BUCKET },
        object: { key: KEY, size: 2048, etag: 'd41d8cd98f00b204e9800998ecf8427e' },
        reason: 'PutObject',
      },
    };
    const result = await handler(event);
    expect('decisions' in result && result.decisions.length).toBe(1);
  });

  it('rejects events that do not name a created object, and reads nothing', async () => {
    const { handler } = setup();
    expect(await handler({ 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty' })).toEqual({
      rejected: 'not an S3 event notification or an EventBridge Object Created event',
    });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('skips an object that is not a log it reads (a CloudTrail digest) without failing the delivery', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({
      Body: Readable.from([
        gzipSync('{"awsAccountId":"111122223333","digestStartTime":"2026-11-25T09:00:00Z"}'),
      ]),
    }));
    const { handler } = setup();
    const result = await handler(
      notification('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/25/digest.json.gz'),
    );
    expect(result).toMatchObject({
      scanned: [{ skipped: expect.stringMatching(/cannot tell the log format/) }],
      decisions: [],
    });
  });
});
