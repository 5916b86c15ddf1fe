import * as z from 'zod/mini';
import { RejectedInputError } from '../../core/errors.ts';
import '../../core/zod-messages.ts';

/**
 * Validates one part of an event against its shape and returns the typed value, or rejects the event
 * naming the first few problems by path (`detail.resource.s3BucketDetails.0.name: expected string…`).
 * Shapes are `z.looseObject`: AWS adds fields over time and we must not reject what we do not read.
 */
export function parseShape<T extends z.ZodMiniType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${[where, ...i.path].join('.')}: ${i.message}`)
    .join('; ');
  throw new RejectedInputError(`malformed ${where}: ${problems}`);
}

/** Rejects the event being parsed; `parseAwsEvent` turns this into `{ kind: 'rejected', reason }`. */
export function reject(reason: string): never {
  throw new RejectedInputError(reason);
}

/**
 * A value as it may appear in a reason: quoted, control characters escaped, cut to 80 characters, so
 * a hostile field can neither flood a log line nor forge a second one.
 */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(cut);
}

/** An optional field that AWS may also send as `null` (Macie writes unused parts as `null`): both read as absent. */
export const maybe = <T extends z.ZodMiniType>(schema: T) =>
  z.optional(
    z.pipe(
      z.nullable(schema),
      z.transform((v: z.output<T> | null) => v ?? undefined),
    ),
  );

/** Non-empty text of at most `max` characters: the strict type for every field we read. */
export const text = (max = 2048) => z.string().check(z.minLength(1), z.maxLength(max));

/**
 * Sample findings (GuardDuty/Macie "generate sample findings") carry placeholder values such as the
 * bucket `bucketName` that are not valid names. A sample the parser would reject is ignored instead:
 * the decision ignores samples anyway, and a rehearsal should not look like an attack on the parser.
 */
export function unlessSample<T>(sample: boolean, parse: () => T): T | { kind: 'ignored'; reason: string } {
  try {
    return parse();
  } catch (error) {
    if (!sample || !(error instanceof RejectedInputError)) throw error;
    return { kind: 'ignored', reason: `sample finding with placeholder values (${error.message})` };
  }
}
