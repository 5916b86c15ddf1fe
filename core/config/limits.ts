import * as z from 'zod/mini';

/** The `limits` section: the blast radius one incident may have. */
export const limits = z.strictObject({
  /** Principals one incident may revoke; more and the incident escalates to humans instead. */
  maxPrincipals: z._default(z.int().check(z.minimum(1), z.maximum(50)), 2),
  /** Buckets or containers one incident may quarantine. */
  maxStores: z._default(z.int().check(z.minimum(1), z.maximum(50)), 3),
  /** Objects or blobs one incident may pin and copy as evidence. */
  maxObjects: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 1000),
  /**
   * Above this many objects in one bucket, the per-object evidence work (legal holds, copies) goes
   * to the platform's engine: S3 Batch Operations jobs over a manifest in the evidence bucket
   * (docs/evidence-jobs.md). Takes effect only with `maxObjects` above it.
   */
  evidenceJobAbove: z._default(z.int().check(z.minimum(1), z.maximum(100_000)), 1000),
});
