import * as z from 'zod/mini';
import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { attackSequence } from './attack-sequence.ts';
import type { Envelope } from './envelope.ts';
import { accountId, assertPartition, isoTime, partition, region, sourceId, title } from './fields.ts';
import { aiResourceShape, aiResources } from './guardduty-ai.ts';
import { principalFromAccessKey } from './principal.ts';
import { ResourceList } from './resources.ts';
import { maybe, parseShape, reject, show, text, unlessSample } from './shape.ts';

/** GuardDuty finding types: `ThreatPurpose:ResourceType/ThreatFamily.Variant!Artifact`. */
export const GUARDDUTY_TYPE = /^[A-Za-z]+:[A-Za-z0-9]+\/[\w.!&-]{1,200}$/;
const RESOURCE_TYPES = ['AccessKey', 'S3Bucket'];

const optionalText = maybe(text());
/** GuardDuty API Reference: Finding, Resource, AccessKeyDetails, S3BucketDetail, S3ObjectDetail. */
const findingShape = z.looseObject({
  accountId: z.string(),
  region: z.string(),
  partition: maybe(z.string()),
  id: z.string(),
  type: text(256),
  severity: z.number(),
  title: maybe(z.string()),
  updatedAt: maybe(z.string()),
  resource: z.looseObject({
    resourceType: text(64),
    accessKeyDetails: maybe(
      z.looseObject({
        accessKeyId: optionalText,
        principalId: optionalText,
        userName: optionalText,
        userType: optionalText,
      }),
    ),
    s3BucketDetails: maybe(
      z.array(
        z.looseObject({
          name: optionalText,
          arn: optionalText,
          s3ObjectDetails: maybe(z.array(z.looseObject({ key: maybe(z.string()), objectArn: optionalText }))),
        }),
      ),
    ),
    ...aiResourceShape,
  }),
  service: maybe(
    z.looseObject({
      archived: maybe(z.boolean()),
      eventLastSeen: maybe(z.string()),
      additionalInfo: maybe(z.looseObject({ sample: maybe(z.boolean()) })),
      action: maybe(
        z.looseObject({
          awsApiCallAction: maybe(
            z.looseObject({ remoteAccountDetails: maybe(z.looseObject({ accountId: optionalText })) }),
          ),
        }),
      ),
    }),
  ),
});
export type Finding = z.infer<typeof findingShape>;

/**
 * `GuardDuty Finding` → one alert. Repeats of a finding keep its id, so the dedupe key
 * `aws:guardduty:<account>:<region>:<id>` names one incident across updates (and across the Security
 * Hub copy, see security-hub.ts). Archived findings and resource types other than AccessKey and
 * S3Bucket (EC2, EKS, …: not data leaks Tourniquet can contain) are ignored. AI Protection findings
 * (resource type AccessKey) also name the models invoked (`model` resources) and the guardrail that
 * intervened; attack sequences (`AttackSequence:*`) name sets of actors and go to attack-sequence.ts.
 */
export function parseGuardDuty(envelope: Envelope): ParsedEvent {
  const f = parseShape(findingShape, envelope.detail, 'detail');
  const sample = f.service?.additionalInfo?.sample === true;
  return unlessSample(sample, () => {
    partition(f.partition, 'detail.partition');
    const account = accountId(f.accountId, 'detail.accountId');
    const where = region(f.region, 'detail.region');
    const id = sourceId(f.id, 'detail.id');
    if (f.service?.archived === true)
      return { kind: 'ignored', reason: `GuardDuty finding ${id} is archived` };
    if (f.type.startsWith('AttackSequence:')) {
      return attackSequence(envelope, { account, region: where, id, sample });
    }
    if (!RESOURCE_TYPES.includes(f.resource.resourceType)) {
      const found = show(f.resource.resourceType);
      return {
        kind: 'ignored',
        reason: `GuardDuty resource type ${found} is not handled (only AccessKey, S3Bucket)`,
      };
    }
    return { kind: 'alerts', alerts: [guardDutyAlert(f, envelope, { account, region: where, id, sample })] };
  });
}

function guardDutyAlert(
  f: Finding,
  envelope: Envelope,
  known: { account: string; region: string; id: string; sample: boolean },
): Alert {
  const { account, id } = known;
  if (!GUARDDUTY_TYPE.test(f.type)) reject(`detail.type ${show(f.type)} is not a GuardDuty finding type`);
  if (!(f.severity >= 0 && f.severity <= 10))
    reject(`detail.severity ${f.severity} is outside GuardDuty's 0.1–10`);
  const resources = findingResources(f);
  const ai = aiResources(f.resource, known.region, 'detail.resource');
  // A caller from another account: GuardDuty names the session, not the account it lives in for sure.
  const remote = f.service?.action?.awsApiCallAction?.remoteAccountDetails?.accountId;
  const actorAccount = remote ? accountId(remote, 'remoteAccountDetails.accountId') : account;
  const details = f.resource.accessKeyDetails;
  const actor = details ? principalFromAccessKey({ ...details, account: actorAccount }) : null;
  const crossAccount = actorAccount !== account;
  return {
    id,
    dedupeKey: `aws:guardduty:${account}:${known.region}:${id}`,
    cloud: 'aws',
    source: 'guardduty',
    type: f.type,
    severity: f.severity,
    observedAt: isoTime(
      f.service?.eventLastSeen ?? f.updatedAt ?? envelope.time,
      'detail.service.eventLastSeen',
    ),
    account,
    region: known.region,
    principal: actor && crossAccount ? { ...actor, certain: false } : actor,
    resources: [...resources.refs, ...ai.refs],
    sample: known.sample,
    ...title(f.title),
    context: {
      resourceType: f.resource.resourceType,
      ...(crossAccount ? { remoteAccount: actorAccount } : {}),
      ...resources.context(),
      ...ai.context,
    },
  };
}

function findingResources(f: Finding): ResourceList {
  const resources = new ResourceList();
  for (const [i, b] of (f.resource.s3BucketDetails ?? []).entries()) {
    const where = `detail.resource.s3BucketDetails.${i}`;
    if (b.arn) assertPartition(b.arn, `${where}.arn`);
    const name =
      b.name ?? (b.arn?.startsWith('arn:aws:s3:::') ? b.arn.slice('arn:aws:s3:::'.length) : undefined);
    if (name === undefined) continue;
    const bucket = resources.bucket(name, `${where}.name`);
    for (const o of b.s3ObjectDetails ?? []) {
      if (o.objectArn) assertPartition(o.objectArn, `${where}.s3ObjectDetails.objectArn`);
      if (o.key !== undefined) resources.object(bucket, o.key);
    }
  }
  return resources;
}
