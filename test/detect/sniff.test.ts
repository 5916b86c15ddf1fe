import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../core/detect/formats/sniff.ts';
import { FORMATS } from '../../packs/index.ts';
import { FIXTURES } from './detect-config.ts';

/**
 * The reference: sniffing as one function, as it was before each format sniffed for itself. The
 * format table must give the same answer for every head.
 */
function referenceSniff(head: string): string | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (/^\{\s*"Records"\s*:/.test(text)) return 'cloudtrail';
  if (/^\{\s*"records"\s*:/.test(text))
    return /flowTuples|flowLogVersion|"flows"/.test(text) ? 'azure-flow' : undefined;
  const first = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  // A flow log header: field names only (any spelling: `a-b`, `${a-b}`, `a_b`), srcaddr among them.
  const names = first
    .trim()
    .split(/ +/)
    .map((n) => n.replace(/^\$\{(.*)\}$/, '$1').replaceAll('_', '-'));
  if (names.includes('srcaddr') && names.every((n) => /^[a-z][a-z0-9-]*$/.test(n))) return 'vpc-flow';
  if (/^\d+ (\d{12}|-) (eni-\S+|-) /.test(first)) return 'vpc-flow';
  if (/^\S+ \S+ \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /.test(first)) return 's3-access';
  if (!first.startsWith('{')) return undefined;
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(first);
  } catch {
    return undefined;
  }
  if (line.schemaType === 'ModelInvocationLog') return 'bedrock';
  if (typeof line.category === 'string' && /^Storage(Read|Write|Delete)$/.test(line.category))
    return 'azure-storage';
  if (line.category === 'RequestResponse' || line.category === 'GatewayLlmLogs') return 'azure-openai';
  if (typeof line.caller === 'string' && typeof line.endpoint === 'string') return 'inference-jsonl';
  return undefined;
}

const fixtures = readdirSync(FIXTURES).filter((f) => f !== 'README.md');

/** Every fixture's head, cut at many lengths, with and without a byte-order mark or CRLF. */
const heads = fixtures.flatMap((file) => {
  const text = readFileSync(join(FIXTURES, file), 'utf8').slice(0, 4096);
  const cuts = [0, 1, 2, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 4096].map((n) => text.slice(0, n));
  return cuts.flatMap((cut) => [cut, `\uFEFF${cut}`, `  \n${cut}`, cut.replace(/\n/g, '\r\n')]);
});

const crafted = [
  '',
  'not a log',
  '{"records":[{"category":"StorageRead"}]}',
  '{"records": []}',
  '{"Records": []}',
  '{ "records" : [ { "flowLogVersion": 4 } ] }',
  '[1,2,3]',
  '{bad json',
  '"a string"',
  '{"category":"StorageRead","caller":"x","endpoint":"y"}',
  '{"schemaType":"ModelInvocationLog","caller":"x","endpoint":"y"}',
  '{"category":"GatewayLlmLogs"}',
  '{"category":"StorageList"}',
  '{"caller":"x","endpoint":7}',
  'version account-id interface-id srcaddr dstaddr',
  '2 - - - - - - - - - - NODATA',
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3',
];

describe('sniffFormat over the format table', () => {
  it(`gives the reference answer for ${heads.length} cut fixture heads`, () => {
    expect(heads.map((h) => sniffFormat(h, FORMATS))).toEqual(heads.map(referenceSniff));
  });

  it.each(crafted)('%j: the reference answer', (head) => {
    expect(sniffFormat(head, FORMATS)).toBe(referenceSniff(head));
  });

  it('recognizes every fixture whole (the reference agrees, and it is a format)', () => {
    const answers = fixtures.map((f) =>
      sniffFormat(readFileSync(join(FIXTURES, f), 'utf8').slice(0, 4096), FORMATS),
    );
    expect(answers).toEqual(
      fixtures.map((f) => referenceSniff(readFileSync(join(FIXTURES, f), 'utf8').slice(0, 4096))),
    );
    expect(answers.every((a) => a !== undefined)).toBe(true);
  });
});
