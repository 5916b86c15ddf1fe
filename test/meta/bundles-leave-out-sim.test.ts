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
  it.each(ENTRIES)('%s holds no simulator, mock library or browser driver', async (entry) => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      external: ['@azure/functions-core'],
      splitting: true,
      outdir: 'dist/never-written',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.startsWith('functions-'))).toBe(true);
    expect(inputs.filter((i) => /^sim\/|aws-sdk-client-mock|playwright|^test\/|^cli\//.test(i))).toEqual([]);
    // The pack renderer is in (the functions write JSON + HTML packs); the PDF printer is not.
    expect(inputs).toContain('core/report/html.ts');
  });
});
