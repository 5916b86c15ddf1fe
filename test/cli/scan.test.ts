/**
 * `tourniquet scan` never misses things silently: a file that cannot be read is named and the batch
 * goes on (exit 2), what no rule looks at is counted and named, a bare JSON array of CloudTrail
 * records is read as records, and --account fills only lines that name no account.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import { PACKS } from '../../packs/index.ts';
import { awsConfig } from '../support/config.ts';
import { onTerminal, plain, tourniquet } from './run-cli.ts';

const CONFIG = ['--config', 'examples/tourniquet.config.json'];
const dir = mkdtempSync(join(tmpdir(), 'tq-scan-'));
const write = (name: string, data: string | Buffer) => {
  writeFileSync(join(dir, name), data);
  return join(dir, name);
};
const trail = JSON.parse(readFileSync('test/fixtures/logs/cloudtrail-s3.json', 'utf8')) as {
  Records: Record<string, unknown>[];
};

describe('tourniquet scan over a batch with bad files', () => {
  it('names each file it cannot read, scans the others, and exits 2', () => {
    // Prepare: an empty file, a truncated gzip, a text file, and a good trail between them.
    const empty = write('empty.log', '');
    const cut = write('cut.json.gz', gzipSync(JSON.stringify(trail)).subarray(0, 40));
    const good = write('trail.json', JSON.stringify(trail));
    // Act
    const r = tourniquet('scan', '--input', empty, cut, 'README.md', good, ...CONFIG);
    // Assess
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/^failed: \S+empty\.log: the file is empty$/m);
    expect(r.err).toMatch(
      /^failed: \S+cut\.json\.gz: not a readable gzip file \(.*\): truncated or corrupt$/m,
    );
    expect(r.err).toMatch(
      /^failed: README\.md: cannot tell the log format from the first bytes; .* with --format$/m,
    );
    expect(r.err).toMatch(/trail\.json: cloudtrail, 5 lines\/records read, 4 events/);
    expect(r.err).toMatch(/^\d+ alerts? from 1 file; 3 files FAILED; nothing was changed/m);
    expect(r.out.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  });

  it('fails a file no line of which is the format given', () => {
    const r = tourniquet(
      'scan',
      '--input',
      'test/fixtures/logs/vpc-flow-default.log',
      '--format',
      's3-access',
      ...CONFIG,
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^failed: \S+vpc-flow-default\.log: not one of its \d+ lines? or records? is s3-access \(/m,
    );
  });
});

describe('what no rule looks at', () => {
  it('counts and names events from accounts not in scope and operations on stores that are no assets', () => {
    const foreign = trail.Records.map((r) => ({
      ...r,
      recipientAccountId: '444455556666',
      userIdentity: { ...(r.userIdentity as object), accountId: '444455556666' },
    }));
    const file = write('foreign.json', JSON.stringify({ Records: foreign }));
    const r = tourniquet('scan', '--input', file, '-o', 'text', ...CONFIG);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /^out of scope: 4 events from account 444455556666, which is not in scope: their alerts are ignored$/m,
    );
    expect(r.err).toMatch(
      /^out of scope: 1 object operation on scratch-share, which is not a configured asset$/m,
    );
  });
});

describe('a bare JSON array of CloudTrail records', () => {
  it.each([
    ['compact', JSON.stringify(trail.Records)],
    ['indented, as jq writes it', JSON.stringify(trail.Records, null, 2)],
  ])('is read as its records (%s), as the Records document is', (_name, text) => {
    const bare = tourniquet(
      'scan',
      '--input',
      write(`bare-${_name.length}.json`, text),
      '-o',
      'json',
      ...CONFIG,
    );
    const wrapped = tourniquet(
      'scan',
      '--input',
      write('wrapped.json', JSON.stringify(trail)),
      '-o',
      'json',
      ...CONFIG,
    );
    expect(bare.code, bare.err).toBe(0);
    expect(bare.err).toMatch(/cloudtrail, 5 lines\/records read, 4 events$/m);
    expect(bare.out).toBe(wrapped.out);
  });
});

describe('S3 access logs and --account', () => {
  const requester = (account: string) =>
    `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be models-prod [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::${account}:role/etl-job 3E57427F3EXAMPLE REST.GET.OBJECT weights/a.bin "GET /models-prod/weights/a.bin HTTP/1.1" 200 - 113 113 7 6 "-" "aws-cli/2" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader models-prod.s3.us-east-1.amazonaws.com TLSV1.2 - -`;
  const anonymous = requester('x').replace(/arn:aws:iam::x:role\/etl-job/, '-');

  it('keeps the account a requester ARN names, and fills only lines that name none', async () => {
    const session = createScanSession(awsConfig(), memoryWindowStore(), {
      packs: PACKS,
      defaultAccount: '999988887777',
    });
    const { stats } = await session.scan(Readable.from([`${requester('444455556666')}\n${anonymous}\n`]), {
      format: 's3-access',
    });
    expect(stats.accounts).toEqual({ '444455556666': 1, '999988887777': 1 });
  });
});

describe('tourniquet scan on a terminal', () => {
  it('draws a progress bar on stderr for large inputs, then the alerts as a table and the summary', () => {
    // Prepare: ~9 MB of S3 access log lines (the bar is for inputs over 8 MB).
    const line = readFileSync('test/fixtures/logs/s3-access.log', 'utf8').split('\n')[0] ?? '';
    const big = write('big.log', `${line}\n`.repeat(Math.ceil((9 * 1024 * 1024) / (line.length + 1))));
    // Act
    const r = onTerminal(['scan', '--input', big, ...CONFIG]);
    // Assess
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/\r\[[#.]{30}\] +\d+% \d+\/\d+ MB 1\/1 \S+big\.log/);
    expect(plain(r.out)).toMatch(/alerts? from 1 file; nothing was changed \(scan never acts\)/);
  });
});
