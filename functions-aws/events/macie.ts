import * as z from 'zod/mini';
import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { type CallerIdentity, principalFromCaller } from './caller.ts';
import type { Envelope } from './envelope.ts';
import { accountId, assertPartition, isoTime, partition, region, sourceId, title } from './fields.ts';
import { ResourceList } from './resources.ts';
import { maybe, parseShape, reject, show, text, unlessSample } from './shape.ts';

const optionalText = maybe(text(2048));
/** Identity fields may be empty, as in CloudTrail (see caller.ts). */
const identityText = maybe(z.string().check(z.maxLength(2048)));
const identityPart = maybe(
  z.looseObject({
    accountId: identityText,
    arn: identityText,
    principalId: identityText,
    accessKeyId: identityText,
    sessionContext: maybe(z.looseObject({ sessionIssuer: maybe(z.looseObject({ arn: identityText })) })),
  }),
);
/** The Macie finding in `detail` (Macie User Guide, findings-publish-event-schemas; API `Finding`). */
const findingShape = z.looseObject({
  id: z.string(),
  accountId: z.string(),
  partition: maybe(z.string()),
  region: z.string(),
  type: text(256),
  title: maybe(z.string()),
  severity: z.looseObject({ score: maybe(z.number()), description: maybe(z.string()) }),
  updatedAt: maybe(z.string()),
  createdAt: maybe(z.string()),
  archived: maybe(z.boolean()),
  sample: maybe(z.boolean()),
  resourcesAffected: z.looseObject({
    s3Bucket: maybe(z.looseObject({ name: optionalText, arn: optionalText })),
    s3Object: maybe(z.looseObject({ key: maybe(z.string()), bucketArn: optionalText })),
  }),
  policyDetails: maybe(
    z.looseObject({
      actor: maybe(
        z.looseObject({
          userIdentity: maybe(
            z.looseObject({
              type: identityText,
              assumedRole: identityPart,
              iamUser: identityPart,
              root: identityPart,
              federatedUser: identityPart,
              awsAccount: identityPart,
              awsService: maybe(z.looseObject({ invokedBy: identityText })),
            }),
          ),
        }),
      ),
    }),
  ),
});
type Finding = z.infer<typeof findingShape>;

const MACIE_TYPE = /^(Policy|SensitiveData):[A-Za-z0-9]+\/[A-Za-z0-9.]{1,100}$/;
/** Macie's three levels onto GuardDuty's scale: Low 3, Medium 5, High 8 (score 1, 2, 3). */
const SEVERITY: Record<string, number> = { Low: 3, Medium: 5, High: 8 };
const BY_SCORE = [undefined, 3, 5, 8];

/**
 * `Macie Finding` → one alert: a policy finding (a bucket made public, encryption disabled…) with the
 * actor who changed the bucket, or a sensitive-data finding naming the object. Archived findings are
 * ignored; the dedupe key is `aws:macie:<account>:<region>:<id>`.
 */
export function parseMacie(envelope: Envelope): ParsedEvent {
  const f = parseShape(findingShape, envelope.detail, 'detail');
  return unlessSample(f.sample === true, (): ParsedEvent => {
    partition(f.partition, 'detail.partition');
    const id = sourceId(f.id, 'detail.id');
    if (f.archived === true) return { kind: 'ignored', reason: `Macie finding ${id} is archived` };
    return { kind: 'alerts', alerts: [macieAlert(f, envelope, id)] };
  });
}

function macieAlert(f: Finding, envelope: Envelope, id: string): Alert {
  const account = accountId(f.accountId, 'detail.accountId');
  const findingRegion = region(f.region, 'detail.region');
  if (!MACIE_TYPE.test(f.type)) reject(`detail.type ${show(f.type)} is not a Macie finding type`);
  const severity = SEVERITY[f.severity.description ?? ''] ?? BY_SCORE[f.severity.score ?? 0];
  if (severity === undefined)
    reject('detail.severity has neither a known description (Low, Medium, High) nor a score 1–3');
  const resources = new ResourceList();
  const { s3Bucket, s3Object } = f.resourcesAffected;
  if (s3Bucket?.arn) assertPartition(s3Bucket.arn, 'resourcesAffected.s3Bucket.arn');
  if (s3Object?.bucketArn) assertPartition(s3Object.bucketArn, 'resourcesAffected.s3Object.bucketArn');
  if (s3Bucket?.name !== undefined) {
    const bucket = resources.bucket(s3Bucket.name, 'resourcesAffected.s3Bucket.name');
    if (s3Object?.key !== undefined) resources.object(bucket, s3Object.key);
  }
  const identity = f.policyDetails?.actor?.userIdentity;
  return {
    id,
    dedupeKey: `aws:macie:${account}:${findingRegion}:${id}`,
    cloud: 'aws',
    source: 'macie',
    type: f.type,
    severity,
    observedAt: isoTime(f.updatedAt ?? f.createdAt ?? envelope.time, 'detail.updatedAt'),
    account,
    region: findingRegion,
    principal: identity ? principalFromCaller(callerOf(identity), account) : null,
    resources: resources.refs,
    sample: f.sample === true,
    ...title(f.title),
    context: resources.context(),
  };
}

/** Macie nests the identity under its type (`assumedRole`, `iamUser`, …); CloudTrail does not. */
function callerOf(
  identity: NonNullable<NonNullable<NonNullable<Finding['policyDetails']>['actor']>['userIdentity']>,
): CallerIdentity {
  const part =
    identity.type === 'AssumedRole'
      ? identity.assumedRole
      : identity.type === 'IAMUser'
        ? identity.iamUser
        : identity.type === 'Root'
          ? identity.root
          : identity.type === 'FederatedUser'
            ? identity.federatedUser
            : identity.type === 'AWSAccount'
              ? identity.awsAccount
              : undefined;
  return {
    type: identity.type,
    ...part,
    ...(part?.sessionContext?.sessionIssuer?.arn
      ? { sessionIssuerArn: part.sessionContext.sessionIssuer.arn }
      : {}),
    ...(identity.awsService?.invokedBy ? { invokedBy: identity.awsService.invokedBy } : {}),
  };
}
