import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '../core/did-you-mean.ts';
import { RejectedInputError, TourniquetError } from '../core/errors.ts';

/** Thrown for bad command lines: the CLI prints the message and the command's --help, exit 1. */
export class UsageError extends TourniquetError {
  override name = 'UsageError';
}

/** Flags every command takes: its help, and how its result is printed (cli/output.ts). */
export const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

/**
 * Strict flag parsing: unknown flags (with the likely one: `--dryrun` → `--dry-run`) and missing
 * values are usage errors that say which flag. `positionals` allows that many bare arguments (an
 * incident id; `Infinity` for a list of files); more are a usage error. Tokens keep the order.
 */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  positionals = 0,
) {
  const all = { ...options, ...COMMON_FLAGS };
  try {
    const parsed = parseArgs({
      args: argv,
      options: all,
      strict: true,
      allowPositionals: positionals > 0,
      tokens: true,
    });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(flagProblem(error as Error & { code?: string }, Object.keys(all)), { cause: error });
  }
}

function flagProblem(error: Error & { code?: string }, names: string[]): string {
  const unknown = /^Unknown option '(-{1,2})([^'=]+)/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const flag = `${unknown[1]}${unknown[2]}`;
    const guess = unknown[1] === '--' ? didYouMean(unknown[2] ?? '', names) : undefined;
    return guess
      ? `unknown option ${flag}: did you mean --${guess}?`
      : `unknown option ${flag} (options: ${names.map((n) => `--${n}`).join(', ')})`;
  }
  return error.message.replace(/^TypeError \[[A-Z_]+\]: /, '');
}

export function required(value: string | undefined, flag: string, hint: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required: ${hint}`);
  return value;
}

/** Reads an input file (or `-` for stdin) as text; a missing file is a usage error, not a crash. */
export async function readInput(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no such file: ${path}`, { cause: error });
    if (code === 'EISDIR')
      throw new UsageError(`${path} is a directory, not an event file`, { cause: error });
    throw new RejectedInputError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
