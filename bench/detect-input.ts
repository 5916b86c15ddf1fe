/**
 * What the detection benchmarks scan: the benchmark configuration and generated input of each
 * format (bench/detect.ts measures it, bench/detect-profile.ts profiles it).
 */
import { Readable } from 'node:stream';
import { parseConfig } from '../core/config.ts';
import { lines } from '../core/detect/formats/input.ts';
import { memoryWindowStore } from '../core/detect/memory-window-store.ts';
import { createScanSession } from '../core/detect/scan.ts';
import { type FormatName, PACKS } from '../packs/index.ts';
import { SAMPLES } from './detect-samples.ts';

export const MB = 1024 * 1024;
export const CHUNK = 256 * 1024;

export const config = parseConfig({
  aws: {
    accounts: ['111122223333'],
    responders: ['arn:aws:iam::111122223333:role/ir-responder'],
    assets: [{ bucket: 'models-prod', kind: 'model-weights' }],
    evidenceBucket: 'ir-evidence-111122223333',
  },
  azure: {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    subscriptions: ['aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e'],
    responders: ['0d3c2b1a-1111-4222-8333-944445555666'],
    assets: [
      {
        storageAccount:
          '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/resourceGroups/llm-rg/providers/Microsoft.Storage/storageAccounts/llmweights',
        containers: ['models'],
        kind: 'model-weights',
      },
    ],
    evidence: {
      storageAccount:
        '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/resourceGroups/llm-rg/providers/Microsoft.Storage/storageAccounts/llmweights',
      container: 'evidence',
    },
  },
  detect: {
    knownReaders: ['arn:aws:iam::111122223333:role/role-1'],
    expectedNetworks: ['vpce-0a1b2c3d4e5f60718', '10.20.0.0/16'],
    inferenceEndpoints: ['eni-0f1e2d3c4b5a69788', '10.30.1.15'],
    canaryTokens: ['CANARY-7f3a9c2e1b'],
    manifest: [
      { location: 's3://models-prod/weights/model-00001-of-00400.safetensors', sha256: 'a'.repeat(64) },
    ],
  },
});

/** Generated text of about `bytes`, as the chunks a stream would deliver. */
export function* generate(format: FormatName, bytes: number): Generator<Buffer> {
  const s = SAMPLES[format];
  let parts: string[] = [s.head];
  let size = s.head.length;
  let total = 0;
  for (let i = 0; total + size < bytes; i++) {
    const piece = (i ? s.sep : '') + s.line(i);
    parts.push(piece);
    size += piece.length;
    if (size >= CHUNK) {
      yield Buffer.from(parts.join(''));
      total += size;
      parts = [];
      size = 0;
    }
  }
  parts.push(s.tail);
  yield Buffer.from(parts.join(''));
}

/** The raw baseline: split lines, then JSON.parse each (or split fields for text formats). */
export async function baseline(format: FormatName, chunks: Buffer[]): Promise<number> {
  const json = !['s3-access', 'vpc-flow'].includes(format);
  let records = 0;
  for await (const batch of lines(Readable.from(chunks))) {
    for (const line of batch) {
      if (json) {
        const body = line.endsWith(',') ? line.slice(0, -1) : line;
        if (body.startsWith('{"Records":[') || body.startsWith('{"records":[') || body === ']}') continue;
        JSON.parse(body);
      } else line.split(' ');
      records++;
    }
  }
  return records;
}

export async function full(chunks: Buffer[]): Promise<number> {
  const { stats } = await createScanSession(config, memoryWindowStore(), { packs: PACKS }).scan(
    Readable.from(chunks),
  );
  if (stats.malformed)
    throw new Error(`${stats.format}: ${stats.malformed} malformed: ${stats.malformedSamples.join('; ')}`);
  return stats.units;
}
