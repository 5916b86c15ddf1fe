import { type ParseArgsConfig, parseArgs } from 'node:util';
import { RejectedInputError, TourniquetError } from '../core/errors.ts';

/** Thrown for bad command lines: the CLI prints the message and the command's --help, exit 1. */
export class UsageError extends TourniquetError {
  override name = 'UsageError';
}

/**
 * Strict flag parsing: unknown flags and missing values are usage errors that say which flag.
 * `positionals` allows that many bare arguments (an incident id); more are a usage error.
 */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  positionals = 0,
) {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: positionals > 0,
    });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), { cause: error });
  }
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
