import { expect, it } from 'vitest';
import type { WriteOnceStore } from '../../core/journal.ts';

/**
 * The behaviour every WriteOnceStore adapter must show (in-memory, S3, Azure Blob). Call it inside a
 * `describe` with a factory that returns a fresh, empty store.
 */
export function writeOnceStoreContract(makeStore: () => Promise<WriteOnceStore> | WriteOnceStore) {
  it('creates a key once and refuses the second write, keeping the first body', async () => {
    const store = await makeStore();
    expect(await store.create('incidents/i-1/journal/incident.json', '{"n":1}')).toBe(true);
    expect(await store.create('incidents/i-1/journal/incident.json', '{"n":2}')).toBe(false);
    expect(await store.get('incidents/i-1/journal/incident.json')).toBe('{"n":1}');
  });

  it('lets exactly one of many concurrent writers win', async () => {
    const store = await makeStore();
    const wins = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.create('incidents/i-2/journal/incident.json', `{"n":${i}}`)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('returns undefined for a missing key', async () => {
    const store = await makeStore();
    expect(await store.get('incidents/none/journal/incident.json')).toBeUndefined();
  });

  it('lists every key under a prefix and nothing outside it', async () => {
    const store = await makeStore();
    await store.create('incidents/i-3/journal/incident.json', '{}');
    await store.create('incidents/i-3/journal/contain/a1/001-before.json', '{}');
    await store.create('incidents/i-30/journal/incident.json', '{}');
    expect((await store.list('incidents/i-3/journal/')).sort()).toEqual([
      'incidents/i-3/journal/contain/a1/001-before.json',
      'incidents/i-3/journal/incident.json',
    ]);
  });
}
