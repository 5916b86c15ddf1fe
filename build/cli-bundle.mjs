// Builds the `tourniquet` CLI as plain JavaScript (dist/cli/main.mjs), so it starts fast and runs on
// Node 20 as well as 22: `npm ci` / `npm install` run this as the `prepare` script, the tests
// rebuild it before spawning the binary, and the TypeScript sources stay the truth.
//
// JavaScript, not TypeScript, on purpose: `prepare` may run under the machine's Node 20, which cannot
// strip types.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE_DIR = join(ROOT, 'dist/cli');

/**
 * Our code and zod/mini go into the bundle; every other dependency stays a package import, resolved
 * from node_modules when (and only when) a command needs it: the cloud SDKs for contain and release,
 * playwright-core for PDF. Code behind a dynamic `import()` lands in chunks of its own, so `plan`
 * parses none of it.
 *
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ outdir: string; bytes: number; entryBytes: number }>}
 */
export async function buildCli(options = {}) {
  const outdir = options.outdir ?? CLI_BUNDLE_DIR;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies ?? {})
    .filter((name) => name !== 'zod')
    .flatMap((name) => [name, `${name}/*`]);
  const result = await build({
    entryPoints: { main: join(ROOT, 'cli/main.ts') },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    mainFields: ['module', 'main'],
    external,
    // Whitespace and syntax only: names stay readable in a TOURNIQUET_DEBUG stack trace.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  return {
    outdir,
    bytes: outputs.reduce((n, [, o]) => n + o.bytes, 0),
    entryBytes: outputs.find(([path]) => path.endsWith('main.mjs'))?.[1].bytes ?? 0,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outdir, bytes } = await buildCli();
  process.stderr.write(`tourniquet: CLI bundle in ${outdir} (${Math.round(bytes / 1024)} KB)\n`);
}
