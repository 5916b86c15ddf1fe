import * as z from 'zod/mini';
import type { Alert, PrincipalRef } from '../../core/alert.ts';
import { isAccountId } from '../../core/names.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import type { Envelope } from './envelope.ts';
import { accountId, assertPartition, isoTime, printable, title } from './fields.ts';
import { principalFromAccessKey, principalFromArn, validAccessKeyId, validPrincipalId } from './principal.ts';
import { ResourceList } from './resources.ts';
import { maybe, parseShape, reject, show, text } from './shape.ts';

const optionalText = maybe(text(2048));
/** Signal and session times: GuardDuty writes timestamps; accept epoch numbers and ISO text. */
const timestamp = maybe(z.union([z.string().check(z.maxLength(64)), z.number()]));

/**
 * GuardDuty Extended Threat Detection: `service.detection.sequence` (GuardDuty API Reference
 * `Sequence`, `Actor`, `User`, `Session`, `ResourceV2`, `NetworkEndpoint`, `Signal`). At most 400
 * actors, resources and endpoints and 1–100 signals, as documented.
 */
const sequenceShape = z.looseObject({
  uid: text(512),
  description: maybe(z.string().check(z.maxLength(4096))),
  actors: maybe(
    z
      .array(
        z.looseObject({
          id: text(512),
          user: maybe(
            z.looseObject({
              name: optionalText,
              uid: optionalText,
              type: optionalText,
              credentialUid: optionalText,
              account: maybe(z.looseObject({ uid: optionalText, name: optionalText })),
            }),
          ),
          session: maybe(
            z.looseObject({
              uid: optionalText,
              issuer: optionalText,
              mfaStatus: optionalText,
              createdTime: timestamp,
            }),
          ),
        }),
      )
      .check(z.maxLength(400)),
  ),
  resources: maybe(
    z
      .array(
        z.looseObject({
          uid: text(2048),
          resourceType: text(64),
          name: optionalText,
          accountId: optionalText,
          region: optionalText,
          cloudPartition: optionalText,
          data: maybe(
            z.looseObject({
              accessKey: maybe(
                z.looseObject({ principalId: optionalText, userName: optionalText, userType: optionalText }),
              ),
              s3Object: maybe(z.looseObject({ key: maybe(z.string().check(z.maxLength(2048))) })),
            }),
          ),
        }),
      )
      .check(z.maxLength(400)),
  ),
  endpoints: maybe(
    z.array(z.looseObject({ id: text(512), ip: optionalText, domain: optionalText })).check(z.maxLength(400)),
  ),
  signals: z
    .array(z.looseObject({ uid: text(1024), type: text(64), name: optionalText, count: maybe(z.number()) }))
    .check(z.minLength(1), z.maxLength(100)),
});
const findingShape = z.looseObject({
  type: text(256),
  severity: z.number(),
  title: maybe(z.string()),
  updatedAt: maybe(z.string()),
  service: z.looseObject({ detection: z.looseObject({ sequence: sequenceShape }) }),
});
type Sequence = z.infer<typeof sequenceShape>;

/** The sequences about data and credentials; compute and container sequences are not contained here. */
const HANDLED = ['AttackSequence:S3/', 'AttackSequence:IAM/'];

/**
 * An attack sequence finding → one alert naming the whole set: the first resolved actor as
 * `principal`, the others in `actors`, every bucket, object and access key in `resources`. Each
 * update of a sequence keeps its id and raises `updatedAt`, so the dedupe key is the finding id
 * *and* `updatedAt`: a redelivery of one update is one incident, a grown sequence is a new one
 * (`series` names the finding), and core/series.ts leaves out what earlier updates acted on.
 */
export function attackSequence(
  envelope: Envelope,
  known: { account: string; region: string; id: string; sample: boolean },
): ParsedEvent {
  const f = parseShape(findingShape, envelope.detail, 'detail');
  if (!HANDLED.some((p) => f.type.startsWith(p))) {
    return {
      kind: 'ignored',
      reason: `${show(f.type)}: Tourniquet contains data and credential sequences (S3, IAM), not this one`,
    };
  }
  if (!(f.severity >= 0 && f.severity <= 10))
    reject(`detail.severity ${f.severity} is outside GuardDuty's 0.1–10`);
  if (!f.updatedAt)
    reject('detail.updatedAt is missing: an attack sequence cannot be told apart from its updates');
  const updatedAt = isoTime(f.updatedAt, 'detail.updatedAt');
  const seq = f.service.detection.sequence;
  const where = 'detail.service.detection.sequence';
  const actors = seq.actors ?? [];
  const resolved = actors.map((a, i) => sequenceActor(a, known.account, `${where}.actors.${i}`));
  const principals = resolved.filter((p): p is PrincipalRef => !!p);
  const unique = principals.filter((p, i) => principals.findIndex((q) => q.id === p.id) === i);
  const { resources, others } = sequenceResources(seq, known.account, where);
  const key = `aws:guardduty:${known.account}:${known.region}:${known.id}`;
  const alert: Alert = {
    id: known.id,
    dedupeKey: `${key}@${updatedAt}`,
    series: { key, version: updatedAt },
    cloud: 'aws',
    source: 'guardduty',
    type: f.type,
    severity: f.severity,
    observedAt: updatedAt,
    account: known.account,
    region: known.region,
    principal: unique[0] ?? null,
    ...(unique.length > 1 ? { actors: unique.slice(1) } : {}),
    resources: resources.refs,
    sample: known.sample,
    ...title(f.title),
    context: {
      sequence: printable(seq.uid).slice(0, 256),
      signals: seq.signals.length,
      signalNames: [...new Set(seq.signals.map((s) => printable(s.name ?? s.type).slice(0, 128)))].slice(
        0,
        20,
      ),
      ...(seq.endpoints?.length ? { endpoints: endpointsOf(seq) } : {}),
      ...(resolved.length > principals.length
        ? { unresolvedActors: resolved.length - principals.length }
        : {}),
      ...(others.length ? { otherResources: others } : {}),
      ...resources.context(),
    },
  };
  return { kind: 'alerts', alerts: [alert] };
}

type Actor = NonNullable<Sequence['actors']>[number];

/**
 * One actor → the principal, or null when the actor names none. A role session resolves through
 * `session.issuer` (CloudTrail's `sessionIssuer.arn`), keeping `user.uid` (`AROA…:<session>`) as
 * the session's principal id; an IAM user by name in the account the activity took place in, certain
 * only when that is the finding's account (GuardDuty says it need not own the user); anything else is
 * never certain.
 */
function sequenceActor(a: Actor, findingAccount: string, where: string): PrincipalRef | null {
  const u = a.user;
  const keyId = validAccessKeyId(u?.credentialUid);
  const principalId = validPrincipalId(u?.uid);
  const aliases = [
    ...(principalId ? [{ type: 'principal-id' as const, value: principalId }] : []),
    ...(keyId ? [{ type: 'access-key-id' as const, value: keyId }] : []),
  ];
  const issuer = a.session?.issuer;
  if (issuer) {
    assertPartition(issuer, `${where}.session.issuer`);
    return {
      ...principalFromArn(issuer, `${where}.session.issuer`, aliases),
      ...(keyId ? { accessKeyId: keyId } : {}),
    };
  }
  const activity = u?.account?.uid;
  if (activity !== undefined && !isAccountId(activity)) accountId(activity, `${where}.user.account.uid`);
  const account = activity ?? findingAccount;
  if (u?.type === 'IAMUser' || u?.type === 'Root') {
    const p = principalFromAccessKey({
      userType: u.type,
      userName: u.name,
      principalId,
      accessKeyId: keyId,
      account,
    });
    return p && account !== findingAccount ? { ...p, certain: false } : p;
  }
  const best = principalId ?? keyId ?? (u?.name ? `${printable(u.name).slice(0, 128)}` : undefined);
  if (!best) return null;
  return {
    id: best,
    kind: 'unknown',
    account,
    aliases,
    ...(keyId ? { accessKeyId: keyId } : {}),
    certain: false,
  };
}

/** Buckets, objects and access keys the sequence names; other resource types are counted by type. */
function sequenceResources(seq: Sequence, findingAccount: string, where: string) {
  const resources = new ResourceList();
  const others: string[] = [];
  for (const [i, r] of (seq.resources ?? []).entries()) {
    const at = `${where}.resources.${i}`;
    if (r.cloudPartition !== undefined && r.cloudPartition !== 'aws')
      reject(`${at}.cloudPartition is ${show(r.cloudPartition)}: Tourniquet acts only in the aws partition`);
    assertPartition(r.uid, `${at}.uid`);
    const owner = r.accountId === undefined ? findingAccount : accountId(r.accountId, `${at}.accountId`);
    switch (r.resourceType) {
      case 'S3_BUCKET':
        if (r.uid.startsWith('arn:')) resources.s3Arn(r.uid, `${at}.uid`);
        else resources.bucket(r.name ?? r.uid, `${at}.name`);
        break;
      case 'S3_OBJECT':
        if (r.uid.startsWith('arn:aws:s3:::')) resources.s3Arn(r.uid, `${at}.uid`);
        else others.push(r.resourceType);
        break;
      case 'ACCESS_KEY': {
        const key = validAccessKeyId(r.uid);
        const k = r.data?.accessKey;
        const userKey = key?.startsWith('AKIA') && k?.userType === 'IAMUser' && k.userName;
        const owner_ = userKey
          ? principalFromAccessKey({ userType: 'IAMUser', userName: k.userName, account: owner })
          : null;
        if (key && owner_) resources.add({ kind: 'access-key', id: key, parent: owner_.id });
        else others.push(r.resourceType);
        break;
      }
      default:
        others.push(r.resourceType);
    }
  }
  return { resources, others: [...new Set(others)].map((t) => printable(t).slice(0, 64)) };
}

function endpointsOf(seq: Sequence): string[] {
  const ips = (seq.endpoints ?? [])
    .map((e) => e.ip ?? e.domain ?? e.id)
    .map((v) => printable(v).slice(0, 256));
  return [...new Set(ips)].slice(0, 20);
}
