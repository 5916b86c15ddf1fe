import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const AZURE_ZIP = join(ROOT, 'dist/azure/tourniquet-azure.zip');
const BUNDLE = 'dist/index.mjs';

/**
 * Packages the Azure Functions app (Node 22, v4 programming model) as a zip for "zip deploy":
 * `host.json`, a `package.json` whose `main` is the bundle (`dist/index.mjs`), and the bundle: ESM
 * from esbuild with module-first resolution (smaller, faster to load), `require` recreated for the
 * CommonJS inside (@azure/functions), `@azure/functions-core` left to the host that provides it,
 * the Azure SDKs in chunks loaded on the first invocation, no source map. Entries carry a fixed
 * date so the same sources give the same zip.
 */
export async function packageAzure(): Promise<{
  zip: string;
  bytes: number;
  bundleBytes: number;
  files: string[];
}> {
  const mtime = new Date('2026-01-01T00:00:00Z');
  const result = await build({
    entryPoints: [join(ROOT, 'functions-azure/functions/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    write: false,
    outdir: join(ROOT, 'dist/azure/app/dist'),
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    // The SDKs are imported on the first invocation (wiring.ts): chunks keep them out of the load.
    splitting: true,
    mainFields: ['module', 'main'],
    external: ['@azure/functions-core'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    sourcemap: false,
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const outDir = join(ROOT, 'dist/azure/app');
  const files = Object.fromEntries(
    result.outputFiles.map((f) => [f.path.slice(outDir.length + 1), [f.contents, { mtime }] as const]),
  );
  if (!files[BUNDLE]) throw new Error('esbuild produced no entry bundle');
  const bundleBytes = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const manifest = { name: 'tourniquet-azure', version, private: true, type: 'module', main: BUNDLE };
  const zip = zipSync(
    {
      'host.json': [readFileSync(join(ROOT, 'host.json')), { mtime }],
      'package.json': [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), { mtime }],
      ...files,
    },
    { level: 9 },
  );
  mkdirSync(dirname(AZURE_ZIP), { recursive: true });
  writeFileSync(AZURE_ZIP, zip);
  return { zip: AZURE_ZIP, bytes: zip.length, bundleBytes, files: Object.keys(files).sort() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { zip, bytes, bundleBytes } = await packageAzure();
  console.log(
    `${zip}: ${(bytes / 1024).toFixed(0)} KiB zipped (bundle ${(bundleBytes / 1024).toFixed(0)} KiB)`,
  );
}
