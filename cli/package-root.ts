import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Tourniquet folder (package.json, examples/): one level up from the sources in cli/, two from
 * the bundle in dist/cli/ (or its chunks one further down).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    dir = dirname(dir);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`cannot find the Tourniquet folder above ${fileURLToPath(import.meta.url)}`);
}

/** The version in package.json, for `tourniquet --version`. */
export async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}
