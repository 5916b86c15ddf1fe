import * as z from 'zod/mini';
import { RejectedInputError } from './errors.ts';
import { isIncidentId } from './incident-id.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const incidentId = z
  .string()
  .check(z.refine(isIncidentId, { message: 'letters, digits, . _ -; 3–100 characters' }));

/** An explicit target for by-hand containment: the principal and the stores to close. */
export const manualTarget = z.strictObject({
  /** IAM role/user ARN (AWS) or Entra object id (Azure). */
  principal: z.optional(z.string().check(z.maxLength(2048))),
  /** Bucket names (AWS) or storage account / container resource ids (Azure). */
  stores: z._default(z.array(z.string().check(z.maxLength(2048))).check(z.maxLength(50)), []),
  /** Object keys (`s3://bucket/key`) or blob URLs to pin as evidence. */
  objects: z._default(z.array(z.string().check(z.maxLength(4096))).check(z.maxLength(10_000)), []),
  /** Access key ids to deactivate (AWS). */
  accessKeyIds: z._default(z.array(z.string().check(z.regex(/^AKIA[A-Z0-9]{16}$/))), []),
});

/**
 * The commands the manual handlers (Lambda `manual`, Azure HTTP function) and the CLI accept.
 * `contain` and `release` need an incident id, an approver and a reason; they go into the journal.
 */
export const manualCommand = z.discriminatedUnion('command', [
  z.strictObject({
    command: z.literal('plan'),
    event: z.optional(z.unknown()),
    target: z.optional(manualTarget),
    /** Shown in the planned policy names; `preview` when absent. */
    incidentId: z.optional(incidentId),
  }),
  z.strictObject({
    command: z.literal('contain'),
    event: z.optional(z.unknown()),
    target: z.optional(manualTarget),
    incidentId,
    approver: text(200),
    reason: text(2000),
  }),
  z.strictObject({
    command: z.literal('release'),
    incidentId,
    approver: text(200),
    reason: text(2000),
    includeEvidence: z._default(z.boolean(), false),
  }),
]);

export type ManualCommand = z.infer<typeof manualCommand>;
export type ManualTarget = z.infer<typeof manualTarget>;

/** Validates a manual command; the error lists every problem and what a valid command looks like. */
export function parseManualCommand(input: unknown): ManualCommand {
  const result = manualCommand.safeParse(input);
  if (result.success) {
    const cmd = result.data;
    if (cmd.command !== 'release' && (cmd.event === undefined) === (cmd.target === undefined)) {
      throw new RejectedInputError(`"${cmd.command}" needs exactly one of "event" (a raw event) or "target"`);
    }
    return cmd;
  }
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
  throw new RejectedInputError(
    `invalid command: ${problems}. Expected {"command":"plan"|"contain"|"release", …}; ` +
      'contain and release need "incidentId", "approver" and "reason"',
  );
}
