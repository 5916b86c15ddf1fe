/**
 * Anonymous access is a leak by itself (issue 7): a successful read of a protected asset with no
 * credentials, as the logs record it. S3 server access logs write the requester as `-` for an
 * unauthenticated request (S3 User Guide, "Amazon S3 server access log format"); Azure Storage
 * resource logs write `identity.type` `Anonymous` (StorageBlobLogs AuthenticationType; "Remediate
 * anonymous read access to blob data"). The finding quarantines the store and names no principal
 * to revoke.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decide } from '../../core/decide.ts';
import { DETECTOR_ALERT_TYPES } from '../../core/detect/alert-types.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import type { FormatName } from '../../packs/index.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, detectConfig, FIXTURES } from './detect-config.ts';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const s3Line = (requester: string, status: number, key: string, ip = '203.0.113.78') =>
  `${OWNER} models-prod [25/Nov/2026:10:01:40 +0000] ${ip} ${requester} A1206F460EXAMPLE REST.GET.OBJECT ${key} ` +
  `"GET /models-prod/${key} HTTP/1.1" ${status} ${status === 200 ? '-' : 'AccessDenied'} 1843 ${status === 200 ? 1843 : '-'} 42 - "-" "curl/8.4.0" - ` +
  'BHnOm3TljsbOg8NLjeoHA5jSEfZCMd1mjBUTCvoHjwaq+wwsC5nzsmUVbXAKHFQp1234= - ECDHE-RSA-AES128-GCM-SHA256 - models-prod.s3.us-east-1.amazonaws.com TLSv1.2 - -';

async function scan(text: string, format: FormatName, config = detectConfig()) {
  const session = createScanSession(config, memoryWindowStore(), { packs: PACKS });
  const { alerts } = await session.scan(Readable.from([Buffer.from(text)]), { format });
  return alerts.filter((a) => a.type === DETECTOR_ALERT_TYPES.anonymousRead);
}

describe('anonymous reads in S3 server access logs', () => {
  it('a successful unauthenticated GET of an asset: one finding per bucket and hour, the bucket closed', async () => {
    const text = [
      s3Line('-', 200, 'weights/config.json'),
      s3Line('-', 200, 'weights/tokenizer.json', '198.51.100.9'),
    ].join('\n');
    const [alert, ...more] = await scan(text, 's3-access');
    expect(more).toEqual([]);
    expect(alert?.principal).toMatchObject({ id: 'anonymous', kind: 'anonymous' });
    expect(alert?.principal?.aliases).toEqual([
      { type: 'ip', value: '203.0.113.78' },
      { type: 'ip', value: '198.51.100.9' },
    ]);
    expect(alert?.context.evidence).toMatchObject({ reads: 2, bytes: 3686 });
    const d = decide(alert as NonNullable<typeof alert>, detectConfig(), { packs: PACKS, now: new Date() });
    expect([d.decision, d.playbook]).toEqual(['contain', 'detect-anonymous-read']);
    expect(d.actions.map((a) => a.kind)).toEqual([
      'quarantine-bucket',
      'pin-objects',
      'copy-evidence',
      'escalate',
    ]);
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
  });

  it('nothing for a denied anonymous request, a signed request, or a bucket that is no asset', async () => {
    const other = s3Line('-', 200, 'index.html').replaceAll('models-prod', 'public-website');
    const signed = s3Line(`arn:aws:iam::${ACCOUNT}:user/mallory`, 200, 'weights/config.json');
    expect(
      await scan([s3Line('-', 403, 'weights/config.json'), signed, other].join('\n'), 's3-access'),
    ).toEqual([]);
  });
});

describe('anonymous reads in Azure Storage resource logs', () => {
  const base = JSON.parse(
    readFileSync(join(FIXTURES, 'azure-storage-blob.jsonl'), 'utf8').split('\n')[0] as string,
  );
  const line = (identity: unknown) => JSON.stringify({ ...base, identity });

  it('identity type Anonymous on a protected container: the container is quarantined, nobody revoked', async () => {
    const [alert] = await scan(line({ type: 'Anonymous' }), 'azure-storage');
    expect(alert?.principal).toMatchObject({ id: 'anonymous', kind: 'anonymous' });
    expect(alert?.resources.map((r) => r.kind)).toEqual(['storage-account', 'container', 'blob']);
    const d = decide(alert as NonNullable<typeof alert>, detectConfig(), { packs: PACKS, now: new Date() });
    expect([d.decision, d.playbook]).toEqual(['contain', 'detect-anonymous-read']);
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(d.actions.some((a) => a.category === 'quarantine')).toBe(true);
  });

  it('an account-key or SAS read is not anonymous', async () => {
    expect(
      await scan(
        line({
          type: 'AccountKey',
          tokenHash: 'key1(0A0XE8AADA354H19722ED12342443F0DC8FAF3E6GF8C8AD805DE6D563E0E5F8A)',
        }),
        'azure-storage',
      ),
    ).toEqual([]);
  });
});
