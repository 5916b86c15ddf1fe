import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageAzure } from '../../build/package-azure.ts';

let files: Record<string, Uint8Array> = {};
let bytes = 0;
const dir = mkdtempSync(join(tmpdir(), 'tourniquet-azure-'));
const text = (name: string) => Buffer.from(files[name] ?? new Uint8Array()).toString('utf8');

beforeAll(async () => {
  const built = await packageAzure();
  bytes = built.bytes;
  files = unzipSync(readFileSync(built.zip));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run package:azure', () => {
  it('holds host.json, a package.json whose main is the bundle, and the bundle; no source maps', () => {
    const manifest = JSON.parse(text('package.json'));
    expect(manifest).toMatchObject({ type: 'module', main: 'dist/index.mjs' });
    expect(Object.keys(files)).toContain(manifest.main);
    expect(Object.keys(files).filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(
      Object.keys(files).every((f) => ['host.json', 'package.json'].includes(f) || f.startsWith('dist/')),
    ).toBe(true);
  });

  it('uses the Functions host v2 schema with the extension bundle (Event Grid trigger) and a 10 minute timeout', () => {
    expect(JSON.parse(text('host.json'))).toMatchObject({
      version: '2.0',
      functionTimeout: '00:10:00',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
    });
  });

  it('stays within 1.2 MB zipped', () => {
    expect(bytes).toBeLessThanOrEqual(1.2 * 1024 * 1024);
  });

  it('loads in plain Node 22 and registers the seven functions with the host', () => {
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    const core = join(dir, 'node_modules/@azure/functions-core');
    mkdirSync(core, { recursive: true });
    cpSync(join(import.meta.dirname, '../../build/functions-core-local.cjs'), join(core, 'index.js'));
    writeFileSync(
      join(dir, 'load.mjs'),
      "import core from '@azure/functions-core';\nawait import('./dist/index.mjs');\nconsole.log(JSON.stringify(core.registered.map((r) => r.metadata.name)));\n",
    );
    const out = execFileSync(process.execPath, [join(dir, 'load.mjs')], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '[]').sort()).toEqual([
      'tourniquet-alert',
      'tourniquet-events',
      'tourniquet-evidence-worker',
      'tourniquet-grants',
      'tourniquet-manual',
      'tourniquet-posture',
      'tourniquet-scan',
    ]);
  });
});
