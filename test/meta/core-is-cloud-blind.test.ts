import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const ALLOWED = /^(\.{1,2}\/|node:|zod\/mini$|zod\/v4\/locales\/en\.js$)/;

describe('core/', () => {
  const sources = files('core');

  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources)('%s imports only core modules, node: built-ins and zod/mini — no cloud SDK', (file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm),
      ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] ?? '');
    const foreign = specifiers.filter((s) => !ALLOWED.test(s));
    expect(foreign, `${file} imports ${foreign.join(', ')}`).toEqual([]);
    for (const s of specifiers.filter((x) => x.startsWith('.'))) {
      expect(join(file, '..', s).startsWith('core'), `${file} reaches outside core/ with ${s}`).toBe(true);
    }
  });
});
