import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Config, parseConfigText } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import { withMemberRoles } from '../core/own-identities.ts';
import { packageRoot } from './package-root.ts';

export const EXAMPLE_CONFIG = join(packageRoot(), 'examples/tourniquet.config.json');

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
  // The fallback, not the example passed by name (`--config $PWD/examples/…` is a choice).
  const example = path === undefined && chosen === EXAMPLE_CONFIG;
  if (example && !options.allowExample) {
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
    // The member roles are Tourniquet's own: never revoked, never locked out (as in the function).
    config: withMemberRoles(parseConfigText(text, chosen)),
    path: relative(process.cwd(), chosen) || chosen,
    example,
  };
}
