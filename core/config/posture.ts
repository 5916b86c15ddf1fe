import * as z from 'zod/mini';

/** The `posture` section. */
export const posture = z.strictObject({
  /** A principal that has not used its access to an asset for this many days is stale. */
  staleAfterDays: z._default(z.int().check(z.minimum(1), z.maximum(3650)), 30),
  /** AWS regions of the region-scoped checks (Bedrock, GuardDuty, flow logs); default: the run's own. */
  regions: z._default(z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))), []),
  /** Longest just-in-time grant `tourniquet grant --for` may give. */
  maxGrantHours: z._default(z.int().check(z.minimum(1), z.maximum(168)), 12),
});
