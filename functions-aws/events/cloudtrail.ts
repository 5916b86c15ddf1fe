import * as z from 'zod/mini';
import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { principalFromCaller } from './caller.ts';
import { BEDROCK_EVENTS, bedrockFacts } from './cloudtrail-bedrock.ts';
import { iamFacts } from './cloudtrail-iam.ts';
import { PERSISTENCE_EVENTS } from './cloudtrail-iam-persistence.ts';
import { type Facts, S3_EVENTS, s3Facts } from './cloudtrail-s3.ts';
import type { Envelope } from './envelope.ts';
import { accountId, assertPartition, isoTime, region, sourceId } from './fields.ts';
import { ResourceList } from './resources.ts';
import { maybe, parseShape, reject, show, text } from './shape.ts';

const optionalText = maybe(text(2048));
/** userIdentity fields may be empty: S3 logs anonymous callers with `"principalId": ""`. */
const identityText = maybe(z.string().check(z.maxLength(2048)));
/** A CloudTrail record as EventBridge delivers it in `detail` (CloudTrail User Guide, record contents). */
const recordShape = z.looseObject({
  userIdentity: z.looseObject({
    type: identityText,
    arn: identityText,
    principalId: identityText,
    accountId: identityText,
    accessKeyId: identityText,
    invokedBy: identityText,
    sessionContext: maybe(
      z.looseObject({
        sessionIssuer: maybe(z.looseObject({ arn: identityText })),
        // Set when the role was assumed with a SourceIdentity (CloudTrail userIdentity element).
        sourceIdentity: identityText,
      }),
    ),
  }),
  eventTime: z.string(),
  eventSource: text(128),
  eventName: text(128),
  awsRegion: z.string(),
  errorCode: maybe(z.string()),
  requestParameters: maybe(z.nullable(z.record(z.string(), z.unknown()))),
  responseElements: maybe(z.nullable(z.record(z.string(), z.unknown()))),
  eventID: z.string(),
  recipientAccountId: maybe(z.string()),
  resources: maybe(z.array(z.looseObject({ ARN: optionalText }))),
});

/** Which service each EventBridge source speaks for, and the calls of it Tourniquet handles. */
type Service = 's3' | 'iam' | 'bedrock';
const SERVICES: Record<string, { eventSource: string; service: Service; events: readonly string[] }> = {
  'aws.s3': { eventSource: 's3.amazonaws.com', service: 's3', events: Object.keys(S3_EVENTS) },
  'aws.iam': {
    eventSource: 'iam.amazonaws.com',
    service: 'iam',
    events: [
      'CreateAccessKey',
      'AttachRolePolicy',
      'AttachUserPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      ...PERSISTENCE_EVENTS,
    ],
  },
  'aws.bedrock': {
    eventSource: 'bedrock.amazonaws.com',
    service: 'bedrock',
    events: Object.keys(BEDROCK_EVENTS),
  },
};

/**
 * `AWS API Call via CloudTrail` → one alert typed `<service>:<eventName>` (`s3:GetObject`), keyed by
 * the record's `eventID`. Calls that failed (`errorCode`) changed nothing and are ignored, as are
 * calls Tourniquet has no playbook for. Severity and the facts playbooks weigh (exposure, versioning,
 * selfService, grantsAdmin, trustExposure, guardrailChange, logging) come from cloudtrail-s3.ts,
 * cloudtrail-iam.ts (and -persistence.ts) and cloudtrail-bedrock.ts.
 */
export function parseCloudTrail(envelope: Envelope): ParsedEvent {
  const r = parseShape(recordShape, envelope.detail, 'detail');
  const known = SERVICES[envelope.source];
  if (!known || r.eventSource !== known.eventSource) {
    reject(
      `detail.eventSource ${show(r.eventSource)} does not match the event source ${show(envelope.source)}`,
    );
  }
  const type = `${known.service}:${r.eventName}`;
  if (!known.events.includes(r.eventName))
    return { kind: 'ignored', reason: `${show(type)} is not a call Tourniquet handles` };
  if (r.errorCode !== undefined)
    return { kind: 'ignored', reason: `${type} failed (${show(r.errorCode)}): nothing changed` };
  return { kind: 'alerts', alerts: [cloudTrailAlert(r, envelope, known.service, type)] };
}

function cloudTrailAlert(
  r: z.infer<typeof recordShape>,
  envelope: Envelope,
  service: Service,
  type: string,
): Alert {
  const eventId = sourceId(r.eventID, 'detail.eventID');
  const account = r.recipientAccountId
    ? accountId(r.recipientAccountId, 'detail.recipientAccountId')
    : envelope.account;
  const ui = r.userIdentity;
  const caller = principalFromCaller(
    {
      ...ui,
      ...(ui.sessionContext?.sessionIssuer?.arn
        ? { sessionIssuerArn: ui.sessionContext.sessionIssuer.arn }
        : {}),
      ...(ui.sessionContext?.sourceIdentity ? { sourceIdentity: ui.sessionContext.sourceIdentity } : {}),
    },
    account,
  );
  const resources = new ResourceList();
  let facts: Facts;
  if (service === 's3') {
    facts = s3Facts(r.eventName, r.requestParameters, account, resources);
    for (const [i, res] of (r.resources ?? []).entries()) {
      if (res.ARN?.startsWith('arn:aws:s3:::')) resources.s3Arn(res.ARN, `detail.resources.${i}.ARN`);
      else if (res.ARN) assertPartition(res.ARN, `detail.resources.${i}.ARN`);
    }
  } else if (service === 'bedrock') {
    facts = bedrockFacts(r.eventName, r.requestParameters, resources);
  } else {
    const call = {
      eventName: r.eventName,
      requestParameters: r.requestParameters,
      responseElements: r.responseElements,
    };
    facts = iamFacts({ ...call, account, caller }, resources);
  }
  return {
    id: eventId,
    dedupeKey: `aws:cloudtrail:${eventId}`,
    cloud: 'aws',
    source: 'cloudtrail',
    type,
    severity: facts.severity,
    observedAt: isoTime(r.eventTime, 'detail.eventTime'),
    account,
    region: region(r.awsRegion, 'detail.awsRegion'),
    principal: caller,
    resources: resources.refs,
    sample: false,
    context: { ...facts.context, ...resources.context() },
  };
}
