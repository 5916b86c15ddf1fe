import * as z from 'zod/mini';
import { aclExposure, type Exposure, policyExposure } from './bucket-exposure.ts';
import type { ResourceList } from './resources.ts';
import { parseShape, text } from './shape.ts';

/** What the parser makes of one S3 call: the severity and the facts a playbook weighs. */
export interface Facts {
  severity: number;
  context: Record<string, unknown>;
}

/** `requestParameters` of the S3 calls handled (S3 User Guide, cloudtrail-logging-understanding-s3-entries). */
const paramsShape = z.looseObject({
  bucketName: text(255),
  key: z.optional(z.string()),
  bucketPolicy: z.optional(z.unknown()),
  VersioningConfiguration: z.optional(z.looseObject({ Status: z.optional(z.string()) })),
});

/** Severity of a bucket opened this far: public 8, another account 7, nothing new 3. */
const EXPOSURE_SEVERITY: Record<Exposure, number> = { public: 8, 'cross-account': 7, none: 3 };

/**
 * Severity and facts per S3 call, with the reason for each number:
 * - GetObject 8: a read of a bucket; the decision then checks whether it is an asset and whether the
 *   reader is a known one, so the number only has to clear the threshold.
 * - DeleteBucketPolicy 7, DeletePublicAccessBlock 7: they remove whatever the bucket was protected by.
 * - PutBucketPolicy, PutBucketAcl: by the exposure they create (EXPOSURE_SEVERITY).
 * - PutBucketVersioning 7 when suspended (older versions can be deleted next), 2 otherwise.
 */
export const S3_EVENTS: Record<string, (p: z.infer<typeof paramsShape>, owner: string) => Facts> = {
  GetObject: () => ({ severity: 8, context: {} }),
  DeleteBucketPolicy: () => ({ severity: 7, context: {} }),
  DeletePublicAccessBlock: () => ({ severity: 7, context: {} }),
  PutBucketPolicy: (p, owner) => {
    const exposure = policyExposure(p.bucketPolicy, owner, 'requestParameters.bucketPolicy');
    return { severity: EXPOSURE_SEVERITY[exposure], context: { exposure } };
  },
  PutBucketAcl: (p) => {
    const exposure = aclExposure(p);
    return { severity: EXPOSURE_SEVERITY[exposure], context: { exposure } };
  },
  PutBucketVersioning: (p) => {
    const versioning = p.VersioningConfiguration?.Status ?? 'unknown';
    return { severity: versioning === 'Suspended' ? 7 : 2, context: { versioning } };
  },
};

/** The facts of an S3 call and the bucket and object it names. */
export function s3Facts(
  eventName: string,
  requestParameters: unknown,
  owner: string,
  resources: ResourceList,
): Facts {
  const p = parseShape(paramsShape, requestParameters, 'detail.requestParameters');
  const bucket = resources.bucket(p.bucketName, 'requestParameters.bucketName');
  if (eventName === 'GetObject' && p.key !== undefined) resources.object(bucket, p.key);
  return S3_EVENTS[eventName]?.(p, owner) ?? { severity: 0, context: {} };
}
