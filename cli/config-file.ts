import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, parseConfigText } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_CONFIG = join(ROOT, 'examples/tourniquet.config.json');

/**
 * The configuration for a CLI run: `--config FILE`, else `./tourniquet.config.json`, else the
 * embedded example (so `tourniquet plan` works on a fresh clone with no cloud account).
 */
export function loadConfigFile(path: string | undefined): { config: Config; path: string; example: boolean } {
  const chosen = path ?? (existsSync('tourniquet.config.json') ? 'tourniquet.config.json' : EXAMPLE_CONFIG);
  let text: string;
  try {
    text = readFileSync(chosen, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the configuration ${chosen}: ${(error as Error).message}`);
  }
  return {
    config: parseConfigText(text, chosen),
    path: relative(process.cwd(), chosen) || chosen,
    example: chosen === EXAMPLE_CONFIG,
  };
}
