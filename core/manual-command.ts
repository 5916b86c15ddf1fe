import * as z from 'zod/mini';
import type { Alert } from './alert.ts';
import type { Config } from './config.ts';
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
  /** The AWS account of the stores when no principal names it (a bucket-only containment). */
  account: z.optional(z.string().check(z.maxLength(64))),
  /**
   * Act on stores that are not configured assets (journaled with the incident); without it such a
   * target is refused, with the fix, instead of being skipped in silence.
   */
  forceUnlisted: z.optional(z.boolean()),
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
    /** Only say what would be restored, from the journal (also so whenever the mode is not enforce). */
    dryRun: z.optional(z.boolean()),
  }),
]);

export type ManualCommand = z.infer<typeof manualCommand>;
export type ManualTarget = z.infer<typeof manualTarget>;

/** What a by-hand target is read with: its incident, the time, and the configuration it must fit. */
export interface TargetMeta {
  incidentId: string;
  now: Date;
  /** The stores a target names must be configured assets, unless it says `forceUnlisted`. */
  config: Config;
}

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

/**
 * The stores a by-hand target forced in although they are not configured assets (`forceUnlisted`):
 * the parsers record them in the alert's context, which the journal keeps with the incident.
 */
export function forcedStores(alert: Alert): string[] {
  const forced = alert.context.forceUnlisted;
  return Array.isArray(forced) ? forced.filter((s): s is string => typeof s === 'string') : [];
}
