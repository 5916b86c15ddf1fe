import { statSync } from 'node:fs';
import { didYouMean } from '../../../core/did-you-mean.ts';
import { FORMAT_NAMES, isFormatName } from '../../../packs/index.ts';
import { parseFlags, UsageError } from '../../args.ts';
import type { Io } from '../../command.ts';
import { outputFormat } from '../../output.ts';

/** The command line of `tourniquet scan`: its flags, and the files in the order they are named. */
export function options(argv: string[], io: Io) {
  const { values, tokens } = parseFlags(
    argv,
    {
      input: { type: 'string', multiple: true },
      format: { type: 'string' },
      config: { type: 'string' },
      account: { type: 'string' },
      signals: { type: 'boolean' },
    },
    Number.POSITIVE_INFINITY,
  );
  // Files are scanned in command-line order (windows follow it), whether named by --input or after it.
  const inputs = tokens.flatMap((t) =>
    t.kind === 'positional'
      ? [t.value]
      : t.kind === 'option' && t.name === 'input' && t.value
        ? [t.value]
        : [],
  );
  if (!values.input?.length) throw new UsageError('--input is required: the log file(s) to scan');
  if (values.format !== undefined && !isFormatName(values.format)) {
    const guess = didYouMean(values.format, FORMAT_NAMES);
    throw new UsageError(
      `unknown --format "${values.format}"${guess ? ` (did you mean ${guess}?)` : ''}: use one of ${FORMAT_NAMES.join(', ')}`,
    );
  }
  const format = values.format && isFormatName(values.format) ? values.format : undefined;
  return {
    inputs,
    format,
    configPath: values.config,
    account: values.account,
    signals: values.signals === true,
    output: outputFormat(values, io),
  };
}

/** A named input's size; a usage error when it is missing or not a file. */
export function sizeOf(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file`);
    return stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no such file: ${file}`, { cause: error });
  }
}
