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

/** Every module specifier a source file imports or re-exports, static or dynamic. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
}

// The cloud packs hold the SDK-free halves of each cloud, under the same rule as core. Core knows
// the packs only through its contract (core/cloud-pack.ts): it never imports one.
describe.each([
  ['core', ['core']],
  ['packs', ['core', 'packs']],
])('%s/', (root, reachable) => {
  const sources = files(root);

  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources)(
    `%s imports only ${reachable.join(' and ')} modules, node: built-ins and zod/mini — no cloud SDK`,
    (file) => {
      const specifiers = specifiersOf(file);
      const foreign = specifiers.filter((s) => !ALLOWED.test(s));
      expect(foreign, `${file} imports ${foreign.join(', ')}`).toEqual([]);
      for (const s of specifiers.filter((x) => x.startsWith('.'))) {
        const target = join(file, '..', s);
        expect(
          reachable.some((dir) => target.startsWith(`${dir}/`)),
          `${file} reaches outside ${reachable.join(', ')} with ${s}`,
        ).toBe(true);
      }
    },
  );
});

/** Modules a file loads when it is loaded: static value imports (type-only ones are erased). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? '',
  );
}

describe('the CLI', () => {
  it('loads no cloud SDK until contain or release asks for one (plan and scan touch no cloud)', () => {
    const seen = new Set<string>();
    const sdks = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const s of staticImports(file)) {
        if (s.startsWith('.')) visit(join(file, '..', s));
        else if (/^@(aws-sdk|azure|middy|aws-lambda-powertools)\//.test(s)) sdks.add(`${s} (from ${file})`);
      }
    };
    visit('cli/main.ts');
    expect(seen.has('packs/index.ts')).toBe(true);
    expect([...sdks]).toEqual([]);
  });
});
