import * as z from 'zod/mini';
import type { Alert, PrincipalRef } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import type { Envelope } from './envelope.ts';
import { accountId, assertPartition, region, sourceId, title } from './fields.ts';
import { principalFromAccessKey, principalFromArn, validAccessKeyId, validPrincipalId } from './principal.ts';
import { ResourceList } from './resources.ts';
import { GUARDDUTY_FINDING_ARN, guardDutyType } from './security-hub.ts';
import { maybe, parseShape, reject, show, text, unlessSample } from './shape.ts';

const optionalText = maybe(text(2048));
const epoch = maybe(z.number());
/**
 * One OCSF finding as Security Hub v2 sends it (`Findings Imported V2`, Security Hub User Guide
 * `securityhub-v2-cwe-event-formats`, "OCSF findings in Security Hub"): the OCSF 1.x finding
 * classes with the cloud profile. Only the fields read.
 */
const findingShape = z.looseObject({
  class_uid: z.number(),
  severity_id: z.number(),
  status: maybe(z.string().check(z.maxLength(64))),
  status_id: maybe(z.number()),
  time: epoch,
  metadata: z.looseObject({
    product: z.looseObject({ name: optionalText, vendor_name: optionalText, uid: optionalText }),
  }),
  cloud: z.looseObject({
    account: z.looseObject({ uid: text(64) }),
    region: optionalText,
    provider: optionalText,
  }),
  finding_info: z.looseObject({
    uid: text(512),
    title: maybe(z.string()),
    types: maybe(z.array(text(256)).check(z.maxLength(50))),
    last_seen_time: epoch,
    modified_time: epoch,
  }),
  resources: maybe(
    z
      .array(z.looseObject({ uid: optionalText, type: optionalText, name: optionalText }))
      .check(z.maxLength(100)),
  ),
  actor: maybe(
    z.looseObject({
      user: maybe(
        z.looseObject({
          uid: optionalText,
          name: optionalText,
          type: optionalText,
          credential_uid: optionalText,
        }),
      ),
      session: maybe(z.looseObject({ issuer: optionalText, uid: optionalText })),
    }),
  ),
  unmapped: maybe(z.record(z.string(), z.unknown())),
});
type Finding = z.infer<typeof findingShape>;
const detailShape = z.looseObject({ findings: z.array(z.unknown()).check(z.minLength(1), z.maxLength(100)) });

/** OCSF `severity_id` on GuardDuty's 0–10 scale: Informational 0, Low 3, Medium 5, High 7, Critical 9, Fatal 10. */
const SEVERITY: Record<number, number> = { 0: 0, 1: 0, 2: 3, 3: 5, 4: 7, 5: 9, 6: 10, 99: 0 };
/** OCSF 1.x finding classes: Security, Vulnerability, Compliance, Detection, Incident, Data Security. */
const FINDING_CLASSES = new Set([2001, 2002, 2003, 2004, 2005, 2006]);
const CLOSED = new Set(['Suppressed', 'Resolved', 'Archived', 'Deleted']);
/** Products AWS runs: `…::product/aws/<name>` or, in v2, `…::productv2/aws/<name>`. */
const AWS_PRODUCT = /^arn:aws:securityhub:[a-z0-9-]+::productv?2?\/aws\/[\w-]+$/;

/**
 * `Findings Imported V2` → alerts, as `Security Hub Findings - Imported` does for ASFF. GuardDuty's
 * copies get the GuardDuty finding's own dedupe key and type (so the v1, v2 and GuardDuty deliveries
 * of one finding are one incident); other products' findings are keyed by `finding_info.uid`; a
 * product AWS does not run has its actor escalated, never revoked. Closed findings, attack sequences
 * (GuardDuty's own delivery carries them) and Tourniquet's own published findings are skipped.
 */
export function parseSecurityHubV2(envelope: Envelope): ParsedEvent {
  const { findings } = parseShape(detailShape, envelope.detail, 'detail');
  const alerts: Alert[] = [];
  const skipped: string[] = [];
  for (const [i, raw] of findings.entries()) {
    const where = `detail.findings.${i}`;
    const f = parseShape(findingShape, raw, where);
    const skip = skipReason(f);
    if (skip) {
      skipped.push(skip);
      continue;
    }
    const parsed = unlessSample(isSample(f), () => ocsfAlert(f, envelope, where));
    if ('kind' in parsed) skipped.push(parsed.reason);
    else alerts.push(parsed);
  }
  if (alerts.length) return { kind: 'alerts', alerts };
  return { kind: 'ignored', reason: `no active finding in the event: ${skipped.join('; ')}` };
}

function skipReason(f: Finding): string | undefined {
  const id = show(f.finding_info.uid);
  if (f.metadata.product.name === 'Tourniquet')
    return `finding ${id} is Tourniquet's own, published by it: never acted on`;
  if (!FINDING_CLASSES.has(f.class_uid))
    return `finding ${id} has OCSF class ${f.class_uid}, not a finding class`;
  if (CLOSED.has(f.status ?? '') || (f.status_id !== undefined && f.status_id >= 3 && f.status_id <= 6))
    return `finding ${id} is ${f.status ?? `status ${f.status_id}`}`;
  if ((f.finding_info.types ?? []).some((t) => t.includes('AttackSequence:')) && isGuardDuty(f))
    return `finding ${id} is GuardDuty's copy of an attack sequence: the GuardDuty delivery is the one acted on`;
  return undefined;
}

function ocsfAlert(f: Finding, envelope: Envelope, where: string): Alert {
  const account = accountId(f.cloud.account.uid, `${where}.cloud.account.uid`);
  const id = sourceId(f.finding_info.uid, `${where}.finding_info.uid`);
  assertPartition(id, `${where}.finding_info.uid`);
  if (f.cloud.provider !== undefined && f.cloud.provider !== 'AWS')
    reject(`${where}.cloud.provider is ${show(f.cloud.provider)}: not an AWS finding`);
  const gd = isGuardDuty(f) ? guardDutyIdentity(f, account, where) : undefined;
  const findingRegion = region(gd?.region ?? f.cloud.region ?? envelope.region, `${where}.cloud.region`);
  const type = gd?.type ?? f.finding_info.types?.[0];
  if (type === undefined) reject(`${where}.finding_info.types is missing: the finding has no type`);
  const severity = SEVERITY[f.severity_id];
  if (severity === undefined) reject(`${where}.severity_id ${f.severity_id} is not an OCSF severity`);
  const resources = new ResourceList();
  for (const [j, r] of (f.resources ?? []).entries()) {
    const at = `${where}.resources.${j}`;
    if (r.uid) assertPartition(r.uid, `${at}.uid`);
    if (r.type !== 'AWS::S3::Bucket' && r.type !== 'AWS::S3::Object' && r.type !== 'AwsS3Bucket') continue;
    if (r.uid?.startsWith('arn:')) resources.s3Arn(r.uid, `${at}.uid`);
    else resources.bucket(r.name ?? r.uid ?? '', `${at}.name`);
  }
  const named = actorOf(f, account, where);
  const trusted = AWS_PRODUCT.test(f.metadata.product.uid ?? '') && (!named || named.account === account);
  const seen = f.finding_info.last_seen_time ?? f.finding_info.modified_time ?? f.time;
  return {
    id,
    dedupeKey: gd?.dedupeKey ?? `aws:securityhub:${account}:${findingRegion}:${id}`,
    cloud: 'aws',
    source: 'securityhub',
    type,
    severity,
    observedAt: seen !== undefined && Number.isFinite(seen) ? new Date(seen).toISOString() : envelope.time,
    account,
    region: findingRegion,
    principal: named && !trusted ? { ...named, certain: false } : named,
    resources: resources.refs,
    sample: isSample(f),
    ...title(f.finding_info.title),
    context: {
      productArn: f.metadata.product.uid ?? 'unknown',
      format: 'ocsf',
      ...(trusted ? {} : { untrustedProduct: true }),
      ...resources.context(),
    },
  };
}

function isGuardDuty(f: Finding): boolean {
  return f.metadata.product.name === 'GuardDuty' || /\/aws\/guardduty$/.test(f.metadata.product.uid ?? '');
}

function guardDutyIdentity(f: Finding, account: string, where: string) {
  const arn = GUARDDUTY_FINDING_ARN.exec(f.finding_info.uid);
  if (!arn)
    reject(
      `${where}.finding_info.uid ${show(f.finding_info.uid)} is not a GuardDuty finding ARN, yet the product is GuardDuty`,
    );
  const [, findingRegion = '', findingAccount, findingId] = arn;
  if (findingAccount !== account)
    reject(`${where}: the finding ARN's account differs from cloud.account.uid ${account}`);
  const type = guardDutyType(f.finding_info.types ?? []);
  if (!type) reject(`${where}.finding_info.types names no GuardDuty finding type`);
  return { region: findingRegion, type, dedupeKey: `aws:guardduty:${account}:${findingRegion}:${findingId}` };
}

/** OCSF `actor`: a role session through `session.issuer`, else a user or root by name. */
function actorOf(f: Finding, account: string, where: string): PrincipalRef | null {
  const u = f.actor?.user;
  const keyId = validAccessKeyId(u?.credential_uid);
  const principalId = validPrincipalId(u?.uid);
  const aliases = [
    ...(principalId ? [{ type: 'principal-id' as const, value: principalId }] : []),
    ...(keyId ? [{ type: 'access-key-id' as const, value: keyId }] : []),
  ];
  const issuer = f.actor?.session?.issuer;
  if (issuer)
    return {
      ...principalFromArn(issuer, `${where}.actor.session.issuer`, aliases),
      ...(keyId ? { accessKeyId: keyId } : {}),
    };
  if (!u) return null;
  return principalFromAccessKey({
    userType: u.type,
    userName: u.name,
    principalId,
    accessKeyId: keyId,
    account,
  });
}

/** GuardDuty marks sample findings `additionalInfo.sample`; OCSF keeps it in `unmapped`. */
function isSample(f: Finding): boolean {
  const entries = Object.entries(f.unmapped ?? {});
  return entries.some(([k, v]) => /sample$/i.test(k) && (v === true || v === 'true'));
}
