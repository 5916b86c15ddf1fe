/**
 * What each AWS function bundle is made of (`npm run -s bench:bundle`): every function of
 * serverless.yml bundled with its `custom.esbuild` options and plugins (as `serverless package`
 * does, without writing anything), then per handler the raw bundle, its size in the zip (deflate at
 * level 1, as serverless-esbuild's archiver writes it: compress-commons defaults to Z_BEST_SPEED;
 * the zip's headers add a few hundred bytes) and the packages and source folders that take most of
 * it (metafile `bytesInOutput`, raw bytes).
 *
 *   node bench/bundle.ts                   every function, top 12 each
 *   node bench/bundle.ts contain scan      only these functions
 *   node bench/bundle.ts --top 30          more lines per function
 *   node bench/bundle.ts --splitting contain
 *                                          also as ESM chunks (esbuild `splitting`, as the Azure
 *                                          package is built): what a cold start loads (the entry
 *                                          and its static imports) against the lazily loaded rest
 *   node bench/bundle.ts --why packs/azure contain
 *                                          the import chain from the handler to the first input
 *                                          whose path contains "packs/azure" (shortest, by imports)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface SlsEsbuild {
  minify?: boolean;
  target?: string;
  platform?: 'node';
  format?: 'esm' | 'cjs';
  outputFileExtension?: string;
  mainFields?: string[];
  external?: string[];
  plugins?: string;
  banner?: Record<string, string>;
}

interface Sls {
  custom: { esbuild: SlsEsbuild };
  functions: Record<string, { handler: string }>;
}

/** `node_modules/@scope/name/…` → `@scope/name`; a source file → its first two folders. */
export function groupOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? input);
  }
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
}

/** The shortest import chain from `entry` to the first input whose path contains `needle`. */
export function whyIncluded(meta: Metafile, entry: string, needle: string): string[] | undefined {
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length) {
    const at = queue.shift() as string;
    if (at !== entry && at.includes(needle)) {
      const chain = [];
      for (let p: string | undefined = at; p !== undefined; p = previous.get(p)) chain.unshift(p);
      return chain;
    }
    for (const imported of meta.inputs[at]?.imports ?? []) {
      if (imported.external || previous.has(imported.path)) continue;
      previous.set(imported.path, at);
      queue.push(imported.path);
    }
  }
  return undefined;
}

function options(): { sls: Sls; plugins: Plugin[] } {
  const sls = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as Sls;
  const require = createRequire(import.meta.url);
  const file = sls.custom.esbuild.plugins;
  const plugins = file ? (require(join(ROOT, file)) as Plugin[]) : [];
  return { sls, plugins };
}

async function bundle(entry: string, esb: SlsEsbuild, plugins: Plugin[], splitting = false) {
  const result = await build({
    splitting,
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: esb.minify ?? false,
    sourcemap: false,
    target: esb.target ?? 'node22',
    platform: esb.platform ?? 'node',
    format: esb.format ?? 'esm',
    mainFields: esb.mainFields ?? ['module', 'main'],
    external: esb.external ?? [],
    ...(esb.banner ? { banner: esb.banner } : {}),
    plugins,
    outdir: 'dist/never-written',
    outExtension: { '.js': esb.outputFileExtension ?? '.js' },
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
  const zipped = result.outputFiles.reduce((n, f) => n + deflateRawSync(f.contents, { level: 1 }).length, 0);
  return { meta: result.metafile, code, zipped };
}

/** The outputs a cold start evaluates: the entry and, transitively, the chunks it imports statically. */
function coldOutputs(meta: Metafile): Set<string> {
  const entry = Object.entries(meta.outputs).find(([, o]) => o.entryPoint)?.[0];
  const cold = new Set<string>();
  const queue = entry ? [entry] : [];
  while (queue.length) {
    const at = queue.shift() as string;
    if (cold.has(at)) continue;
    cold.add(at);
    for (const i of meta.outputs[at]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) queue.push(i.path);
  }
  return cold;
}

async function main(argv: string[]): Promise<void> {
  let top = 12;
  let why: string | undefined;
  let splitting = false;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--top') top = Number(argv[++i]);
    else if (arg === '--why') why = argv[++i];
    else if (arg === '--splitting') splitting = true;
    else names.push(arg);
  }
  const { sls, plugins } = options();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  for (const [name, fn] of Object.entries(sls.functions)) {
    if (names.length && !names.includes(name)) continue;
    const entry = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`;
    const { meta, code, zipped } = await bundle(entry, sls.custom.esbuild, plugins);
    console.log(`${name} (${entry}): bundle ${kb(code)}, in the zip ≈ ${kb(zipped)}`);
    if (splitting) {
      const split = await bundle(entry, sls.custom.esbuild, plugins, true);
      const cold = coldOutputs(split.meta);
      const bytes = (f: (name: string) => boolean) =>
        Object.entries(split.meta.outputs)
          .filter(([name]) => f(name))
          .reduce((n, [, o]) => n + o.bytes, 0);
      console.log(
        `  split into ${Object.keys(split.meta.outputs).length} files: ${kb(bytes((n) => cold.has(n)))} loaded at a cold start, ${kb(bytes((n) => !cold.has(n)))} on first use; in the zip ≈ ${kb(split.zipped)}`,
      );
    }
    if (why) {
      const chain = whyIncluded(meta, entry, why);
      console.log(chain ? `  ${chain.join('\n    → ')}` : `  nothing matching "${why}" is imported`);
      continue;
    }
    const groups = new Map<string, number>();
    for (const output of Object.values(meta.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
        groups.set(groupOf(input), (groups.get(groupOf(input)) ?? 0) + bytesInOutput);
    const sorted = [...groups].sort((a, b) => b[1] - a[1]);
    for (const [group, bytes] of sorted.slice(0, top)) console.log(`  ${kb(bytes).padStart(7)}  ${group}`);
    const rest = sorted.slice(top).reduce((n, [, b]) => n + b, 0);
    if (rest) console.log(`  ${kb(rest).padStart(7)}  (${sorted.length - top} more)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
