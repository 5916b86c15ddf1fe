import type { ExitName } from './exit-codes.ts';

export { EXIT } from './exit-codes.ts';

/** Where a command writes: stdout for results, stderr for progress, summaries beside JSON, errors. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when stderr is a terminal (progress bars). */
  interactive: boolean;
  /** Which streams are terminals: stdout decides the default output (table there, JSON otherwise). */
  terminal?: { out: boolean; err: boolean };
  /** Colour per stream: only on a terminal, never with NO_COLOR. */
  color?: { out: boolean; err: boolean };
}

/**
 * One `tourniquet <name>` command. `run` returns the exit code (cli/exit-codes.ts); `exits` are the
 * codes it can return, listed at the end of its --help.
 */
export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text, without the exit codes (main.ts appends them from `exits`). */
  help: string;
  exits: readonly ExitName[];
  run(argv: string[], io: Io): Promise<number>;
}
