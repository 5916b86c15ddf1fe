import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Detector } from '../../core/detect/detector.ts';
import { CacheScope, inScope, memo, memoByFirst, scoped } from '../../core/detect/memo.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import type { DetectRecord, ObjectAccess } from '../../core/detect/records.ts';
import { createScanSession } from '../../core/detect/scan.ts';
import { FORMATS, PACKS } from '../../packs/index.ts';
import { ACCOUNT, detectConfig, FIXTURES } from './detect-config.ts';

/** A detector that keeps every record it is handed. */
function capture(): Detector & { records: DetectRecord[] } {
  const records: DetectRecord[] = [];
  return { id: 'capture', records, observe: (r) => void records.push(r), flush: async () => [] };
}

async function scanned(files: string[]) {
  const c = capture();
  const session = createScanSession(detectConfig(), memoryWindowStore(), { packs: PACKS, detectors: [c] });
  for (const f of files) await session.scan(createReadStream(join(FIXTURES, f)));
  return c.records as ObjectAccess[];
}

describe('cache scopes', () => {
  it('memo, memoByFirst and scoped slots keep one value per scope', () => {
    let made = 0;
    const m = memo((k) => ({ k, n: made++ }));
    const f = memoByFirst((a, b) => ({ a, b, n: made++ }));
    const slot = scoped(() => ({ text: '' }));
    const a = new CacheScope();
    const b = new CacheScope();
    const inA = inScope(a, () => [m('x'), f('x', 'y'), slot()] as const);
    inScope(a, () => {
      slot().text = 'seen in a';
    });
    const inB = inScope(b, () => [m('x'), f('x', 'y'), slot()] as const);
    expect(inScope(a, () => [m('x'), f('x', 'y'), slot()])).toEqual(inA);
    for (let i = 0; i < 3; i++) {
      expect(inB[i]).not.toBe(inA[i]);
      expect(inScope(a, () => [m('x'), f('x', 'y'), slot()])[i]).toBe(inA[i]);
    }
    expect(inB[2]).toEqual({ text: '' });
    expect(made).toBe(4);
    // Outside any scope: the process scope, shared with neither.
    expect(m('x')).not.toBe(inA[0]);
    expect(m('x')).not.toBe(inB[0]);
  });

  it('a scope is restored after a throw', () => {
    const slot = scoped(() => ({ v: 0 }));
    const outside = slot();
    expect(() =>
      inScope(new CacheScope(), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(slot()).toBe(outside);
  });

  it('two scan sessions share no cached principal or store; one session reuses its own across files', async () => {
    const files = ['s3-access.log', 'cloudtrail-s3.json', 's3-access.log'];
    const [one, two] = await Promise.all([scanned(files), scanned(files)]);
    expect(one.length).toBeGreaterThan(4);
    expect(two.map((r) => r.objectId)).toEqual(one.map((r) => r.objectId));
    for (let i = 0; i < one.length; i++) {
      expect(two[i]?.principal).toEqual(one[i]?.principal);
      expect(two[i]?.principal).not.toBe(one[i]?.principal);
      expect(two[i]?.store).not.toBe(one[i]?.store);
    }
    // Within a session, the same bucket is one object from file to file.
    const buckets = new Set(one.filter((r) => r.store.name === 'models-prod').map((r) => r.store));
    expect(buckets.size).toBe(1);
    // And nothing leaked into the process scope that direct callers use.
    const direct = FORMATS['s3-access'].open({ defaultAccount: ACCOUNT });
    const line = (await import('node:fs'))
      .readFileSync(join(FIXTURES, 's3-access.log'), 'utf8')
      .split('\n')[1];
    const [r] = direct(line ?? '') as ObjectAccess[];
    expect(r?.store).toEqual(one.find((x) => x.store.name === 'models-prod')?.store);
    expect(r?.store).not.toBe(one.find((x) => x.store.name === 'models-prod')?.store);
  });
});
