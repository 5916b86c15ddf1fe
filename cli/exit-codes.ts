/**
 * The exit codes of every `tourniquet` command: the same cause gives the same code whichever command
 * meets it (a non-JSON event is 2 in plan, contain and exercise alike). Scripts and runbooks branch on
 * them; the README lists this table and a test holds the two equal.
 */
export const EXIT = {
  ok: 0,
  usage: 1,
  rejected: 2,
  failed: 3,
  incomplete: 4,
  credentials: 5,
} as const;

export type ExitName = keyof typeof EXIT;

export const EXIT_MEANINGS: Record<ExitName, string> = {
  ok: 'done (contained, released, nothing to do, listed, written, verified)',
  usage:
    'nothing was done: a wrong command line, an invalid or missing configuration, or an unknown incident',
  rejected:
    'input rejected: an event, target or log file that is not what it claims; nothing was done for it',
  failed:
    'a check failed: verify found an entry or evidence copy that does not match; posture, a failed check or a stale principal',
  incomplete: 'some actions failed: the rest ran; run the same command again to finish (nothing is repeated)',
  credentials:
    'no usable cloud credentials (or they expired): nothing was changed; the message says how to sign in',
};

/** The `Exit codes:` paragraph of a command's --help, for the codes it can return. */
export function exitCodesHelp(names: readonly ExitName[]): string {
  return `Exit codes:\n${names.map((n) => `  ${EXIT[n]}  ${EXIT_MEANINGS[n]}`).join('\n')}`;
}
