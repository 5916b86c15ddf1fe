import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../../cli/file-store.ts';
import { writeOnceStoreContract } from '../contract/write-once-store.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'tq-journal-'));

describe('fileStore', () => {
  writeOnceStoreContract(() => fileStore(fresh()));

  it('keeps each key as a file at the same path as in the evidence store', async () => {
    const dir = fresh();
    await fileStore(dir).create('incidents/i-1/journal/incident.json', '{"a":1}\n');
    expect(readFileSync(join(dir, 'incidents/i-1/journal/incident.json'), 'utf8')).toBe('{"a":1}\n');
  });

  it.each(['../outside.json', 'incidents//x.json', '/etc/passwd'])('refuses the key %s', async (key) => {
    await expect(fileStore(fresh()).create(key, '{}')).rejects.toThrow(/not a relative path/);
  });

  it('lists nothing in a folder that does not exist', async () => {
    expect(await fileStore(join(fresh(), 'none')).list('incidents/')).toEqual([]);
  });
});
