import * as z from 'zod/mini';
import type { Alert } from '../../core/alert.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { asffResourceShape, asffResources } from './asff-resources.ts';
import type { Envelope } from './envelope.ts';
import { accountId, isoTime, region, sourceId, title } from './fields.ts';
import { GUARDDUTY_TYPE } from './guardduty.ts';
import { maybe, parseShape, reject, show, text, unlessSample } from './shape.ts';

/** AWS Security Finding Format, the fields read (Security Hub User Guide, securityhub-findings-format). */
const findingShape = z.looseObject({
  Id: text(512),
  ProductArn: text(512),
  AwsAccountId: z.string(),
  Region: maybe(z.string()),
  Types: maybe(z.array(text(256))),
  Title: maybe(z.string()),
  LastObservedAt: maybe(z.string()),
  UpdatedAt: maybe(z.string()),
  Severity: maybe(
    z.looseObject({
      Label: maybe(z.string()),
      Normalized: maybe(z.number()),
      Product: maybe(z.number()),
    }),
  ),
  ProductName: maybe(z.string().check(z.maxLength(256))),
  GeneratorId: maybe(z.string().check(z.maxLength(512))),
  ProductFields: maybe(z.record(z.string(), z.unknown())),
  Resources: z.array(asffResourceShape),
  RecordState: maybe(z.string()),
  Workflow: maybe(z.looseObject({ Status: maybe(z.string()) })),
  Sample: maybe(z.boolean()),
});
type Finding = z.infer<typeof findingShape>;
/** `Security Hub Findings - Imported` carries a batch: `detail.findings` (securityhub-cwe-event-formats). */
const detailShape = z.looseObject({
  findings: z.array(findingShape).check(z.minLength(1), z.maxLength(100)),
});

const LABELS: Record<string, number> = { INFORMATIONAL: 0, LOW: 3, MEDIUM: 5, HIGH: 7, CRITICAL: 9 };
const GUARDDUTY_PRODUCT = /^arn:aws:securityhub:[a-z0-9-]+::product\/aws\/guardduty$/;
/** Products AWS itself runs (GuardDuty, Macie, Inspector, IAM Access Analyzer, …), not imported ones. */
const AWS_PRODUCT = /^arn:aws:securityhub:[a-z0-9-]+::product\/aws\/[\w-]+$/;
/** A custom integration's product: `arn:aws:securityhub:<region>:<account>:product/<account>/default`. */
const DEFAULT_PRODUCT = /^arn:aws:securityhub:[a-z0-9-]+:(\d{12}):product\/\1\/default$/;
export const GUARDDUTY_FINDING_ARN =
  /^arn:aws:guardduty:([a-z0-9-]+):(\d{12}):detector\/\w+\/finding\/(\w+)$/;

/**
 * `Security Hub Findings - Imported` → one alert per active finding. Archived, resolved and suppressed
 * findings are skipped. A finding GuardDuty sent to Security Hub gets the GuardDuty finding's own
 * dedupe key and type, so the two deliveries are one incident. One malformed finding rejects the
 * whole event: the batch is either understood or not acted on.
 */
export function parseSecurityHub(envelope: Envelope): ParsedEvent {
  const { findings } = parseShape(detailShape, envelope.detail, 'detail');
  const alerts: Alert[] = [];
  const skipped: string[] = [];
  for (const [i, f] of findings.entries()) {
    const where = `detail.findings.${i}`;
    const closed = f.RecordState === 'ARCHIVED' ? 'archived' : closedStatus(f.Workflow?.Status);
    if (closed) {
      skipped.push(`finding ${show(f.Id)} is ${closed}`);
      continue;
    }
    const own = ownFinding(f);
    if (own) {
      skipped.push(own);
      continue;
    }
    if (GUARDDUTY_PRODUCT.test(f.ProductArn) && (f.Types ?? []).some((t) => t.includes('AttackSequence:'))) {
      skipped.push(
        `finding ${show(f.Id)} is GuardDuty's copy of an attack sequence: the GuardDuty delivery carries the sequence and is the one acted on`,
      );
      continue;
    }
    const sample =
      f.Sample === true || f.ProductFields?.['aws/guardduty/service/additionalInfo/sample'] === 'true';
    const parsed = unlessSample(sample, () => asffAlert(f, envelope, where, sample));
    if ('kind' in parsed) skipped.push(parsed.reason);
    else alerts.push(parsed);
  }
  if (alerts.length) return { kind: 'alerts', alerts };
  return { kind: 'ignored', reason: `no active finding in the batch: ${skipped.join('; ')}` };
}

function asffAlert(f: Finding, envelope: Envelope, where: string, sample: boolean): Alert {
  const account = accountId(f.AwsAccountId, `${where}.AwsAccountId`);
  const id = sourceId(f.Id, `${where}.Id`);
  const guardDuty = GUARDDUTY_PRODUCT.test(f.ProductArn) ? guardDutyIdentity(f, account, where) : undefined;
  const findingRegion = region(guardDuty?.region ?? f.Region ?? envelope.region, `${where}.Region`);
  const type = guardDuty?.type ?? f.Types?.[0];
  if (type === undefined) reject(`${where}.Types is missing: the finding has no type`);
  const { resources, principal: named, candidatePrincipals } = asffResources(f.Resources, account, where);
  // Anyone with securityhub:BatchImportFindings can import a finding under a custom product: what it
  // says about an actor is a claim, not an observation by AWS. Such actors are escalated, never
  // revoked; so is an actor in another account than the finding's.
  const trusted = AWS_PRODUCT.test(f.ProductArn) && (!named || named.account === account);
  const principal = named && !trusted ? { ...named, certain: false } : named;
  return {
    id,
    dedupeKey: guardDuty?.dedupeKey ?? `aws:securityhub:${account}:${findingRegion}:${id}`,
    cloud: 'aws',
    source: 'securityhub',
    type,
    severity: severity(f.Severity, !!guardDuty, where),
    observedAt: isoTime(f.LastObservedAt ?? f.UpdatedAt ?? envelope.time, `${where}.LastObservedAt`),
    account,
    region: findingRegion,
    principal,
    resources: resources.refs,
    sample,
    ...title(f.Title),
    context: {
      productArn: f.ProductArn,
      ...(trusted ? {} : { untrustedProduct: true }),
      ...(candidatePrincipals ? { candidatePrincipals } : {}),
      ...resources.context(),
    },
  };
}

/**
 * GuardDuty's copy in Security Hub: the ASFF `Id` is the GuardDuty finding ARN and `Types` ends with
 * the GuardDuty type written `Threat:Resource-Family` (GuardDuty User Guide, securityhub-integration).
 */
function guardDutyIdentity(f: Finding, account: string, where: string) {
  const arn = GUARDDUTY_FINDING_ARN.exec(f.Id);
  if (!arn) reject(`${where}.Id ${show(f.Id)} is not a GuardDuty finding ARN, yet the product is GuardDuty`);
  const [, findingRegion = '', findingAccount, findingId] = arn;
  if (findingAccount !== account)
    reject(`${where}: the finding ARN's account differs from AwsAccountId ${account}`);
  const type = guardDutyType(f.Types ?? []);
  if (!type) reject(`${where}.Types names no GuardDuty finding type`);
  return { region: findingRegion, type, dedupeKey: `aws:guardduty:${account}:${findingRegion}:${findingId}` };
}

/** The GuardDuty type among a copy's types, written `Threat:Resource-Family` or as GuardDuty does. */
export function guardDutyType(types: readonly string[]): string | undefined {
  return types
    .map((t) => /(?:^|\/)([A-Za-z]+:[A-Za-z0-9]+)[-/]([\w.!&-]+)$/.exec(t))
    .map((m) => (m ? `${m[1]}/${m[2]}` : ''))
    .find((t) => GUARDDUTY_TYPE.test(t));
}

function severity(s: Finding['Severity'], guardDuty: boolean, where: string): number {
  // GuardDuty's native 0.1–10 severity, so both deliveries of a finding meet the same threshold.
  if (guardDuty && s?.Product !== undefined && s.Product >= 0 && s.Product <= 10) return s.Product;
  if (s?.Normalized !== undefined) {
    if (!(s.Normalized >= 0 && s.Normalized <= 100)) reject(`${where}.Severity.Normalized is outside 0–100`);
    return s.Normalized / 10;
  }
  const label = s?.Label === undefined ? undefined : LABELS[s.Label];
  if (label === undefined)
    reject(`${where}.Severity has neither Normalized nor a known Label (${show(s?.Label)})`);
  return label;
}

/**
 * Tourniquet's own findings (core/findings: the account's `default` product, ProductName
 * `Tourniquet`, generator `tourniquet/…`) come back through Security Hub like any other import.
 * Acting on them would be acting on our own report: they are skipped. (Whoever may import
 * findings could hide one this way, but never make Tourniquet act.)
 */
function ownFinding(f: Finding): string | undefined {
  const own =
    DEFAULT_PRODUCT.test(f.ProductArn) &&
    (f.ProductName === 'Tourniquet' || f.GeneratorId?.startsWith('tourniquet/') === true);
  return own ? `finding ${show(f.Id)} is Tourniquet's own, published by it: never acted on` : undefined;
}

function closedStatus(status: string | undefined): string | undefined {
  return status === 'RESOLVED' || status === 'SUPPRESSED' ? status.toLowerCase() : undefined;
}
