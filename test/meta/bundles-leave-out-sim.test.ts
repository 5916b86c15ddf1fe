/**
 * The simulated clouds, the test mocks and the PDF printer belong to the CLI and the tests: the
 * deployed functions must never contain them. Each function entry is bundled as packaging does
 * (esbuild, ESM, node) and its metafile's inputs are checked.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ENTRIES = [
  'functions-aws/handlers/contain.ts',
  'functions-aws/handlers/manual.ts',
  'functions-aws/handlers/scan.ts',
  'functions-azure/functions/index.ts',
];

describe('function bundles', () => {
  it('hold no simulator, mock library, CLI code or browser driver', async () => {
    // One build of every entry, as packaging bundles them: whatever any of them pulls in is an input.
    const result = await build({
      entryPoints: ENTRIES,
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      external: ['@azure/functions-core'],
      outdir: 'dist/never-written',
      outbase: '.',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toEqual(expect.arrayContaining(ENTRIES));
    expect(inputs.filter((i) => /^sim\/|aws-sdk-client-mock|playwright|^test\/|^cli\//.test(i))).toEqual([]);
    // The pack renderer is in (the functions write JSON + HTML packs); the PDF printer is not.
    expect(inputs).toContain('core/report/html.ts');
  });
});
