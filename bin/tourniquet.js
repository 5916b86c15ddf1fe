#!/usr/bin/env node
// The `tourniquet` command. It runs the JavaScript bundle dist/cli/main.mjs (Node 20 or newer), which
// `npm ci` and `npm install` build (the `prepare` script; `npm run build:cli` rebuilds it). Without the
// bundle, a Node that strips types (22.18 or newer, as `npm`/`npx` bring) runs the TypeScript sources
// instead, and says so; an older Node says how to get the bundle.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+: reuse compiled code between runs (a cache in the OS temp folder); Node 20 has none.
module.enableCompileCache?.();

const bundle = new URL('../dist/cli/main.mjs', import.meta.url);
if (existsSync(bundle)) {
  const { runCli } = await import(bundle.href);
  await runCli();
} else if (process.features.typescript) {
  process.stderr.write(
    'tourniquet: no CLI bundle (dist/cli/main.mjs): running the TypeScript sources; `npm run build:cli` builds it\n',
  );
  const { runCli } = await import('../cli/main.ts');
  await runCli();
} else {
  process.stderr.write(
    `tourniquet: the CLI bundle dist/cli/main.mjs is missing and Node ${process.versions.node} cannot run the TypeScript sources.\n` +
      'Build it in the Tourniquet folder with `npm run build:cli` (npm ci and npm install do it), or use Node 22.18 or newer.\n',
  );
  process.exitCode = 1;
}
