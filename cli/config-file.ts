import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, parseConfigText } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_CONFIG = join(ROOT, 'examples/tourniquet.config.json');

/**
 * The configuration for a CLI run: `--config FILE`, else `./tourniquet.config.json`, else — for
 * commands that change nothing (plan, scan) — the embedded example, so `tourniquet plan` works on a
 * fresh clone with no cloud account. Commands that act never fall back to it.
 */
export function loadConfigFile(
  path: string | undefined,
  options: { allowExample: boolean } = { allowExample: true },
): { config: Config; path: string; example: boolean } {
  const chosen = path ?? (existsSync('tourniquet.config.json') ? 'tourniquet.config.json' : EXAMPLE_CONFIG);
  if (chosen === EXAMPLE_CONFIG && !options.allowExample) {
    throw new ConfigError(
      'no configuration: pass --config FILE or create ./tourniquet.config.json (the example configuration only serves plan and scan)',
    );
  }
  let text: string;
  try {
    text = readFileSync(chosen, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the configuration ${chosen}: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  return {
    config: parseConfigText(text, chosen),
    path: relative(process.cwd(), chosen) || chosen,
    example: chosen === EXAMPLE_CONFIG,
  };
}
