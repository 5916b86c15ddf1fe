import { RejectedInputError } from '../../core/errors.ts';

/**
 * The reason for a rejected input. A rejection raised on purpose says what was wrong; anything else
 * is a parser bug met on odd input, which still must not act or crash the handler: it is rejected
 * too (fail closed), with the error named so the bug can be found.
 */
export function describeRejection(error: unknown): string {
  if (error instanceof RejectedInputError) return error.message;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `the event could not be parsed (${what.slice(0, 200)}); nothing was done`;
}
