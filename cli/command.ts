/** Where a command writes: stdout for results (JSON), stderr for progress and errors. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when stderr is a terminal (progress bars, colours). */
  interactive: boolean;
}

/**
 * One `tourniquet <name>` command. `run` returns the exit code: 0 done (contain or ignore),
 * 1 usage or configuration error, 2 input rejected.
 */
export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

/**
 * 3: what the command checked does not hold: `verify` found an entry or an evidence copy that does
 * not match, `posture` a failed check (or, with --identities, a stale principal).
 */
export const EXIT = { ok: 0, usage: 1, rejected: 2, notVerified: 3 } as const;
