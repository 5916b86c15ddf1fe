import { createHash } from 'node:crypto';
import type { Alert, AlertActor, Cloud, PrincipalRef, ResourceRef } from '../alert.ts';
import type { DetectorAlertType } from './alert-types.ts';
import type { InferenceRecord, ObjectAccess } from './records.ts';

/** What a rule found, before it becomes an Alert. */
export interface Finding {
  rule: string;
  type: DetectorAlertType;
  severity: number;
  cloud: Cloud;
  account: string;
  region?: string | undefined;
  principal: PrincipalRef | null;
  resources: ResourceRef[];
  /** Epoch ms of the last record that contributed. */
  observedAt: number;
  /** Who or what the finding is about (principal id, endpoint→peer): part of the dedupe key. */
  subject: string;
  /** Start of the window the figures belong to; findings without a window use the record's own id. */
  window: number | string;
  title: string;
  /** The figures that crossed which threshold, e.g. `{ bytes: 9e9, maxBytes: 5e9, … }`. */
  evidence: Record<string, unknown>;
}

/**
 * Turns a finding into a core Alert (`source: 'detector'`). The dedupe key is made of the rule, the
 * subject and the window only, so scanning the same log file twice, or two files of one window,
 * lands on the same incident and the journal repeats nothing.
 *
 * @example
 * detectorAlert({ rule: 'bulk-read', type: 'Exfiltration:ModelWeights/BulkRead', … })
 * // → { source: 'detector', dedupeKey: 'aws:detector:111122223333:bulk-read:arn:…:1764064800000', … }
 */
export function detectorAlert(finding: Finding): Alert {
  const session = finding.principal ? sessionActor(finding.principal) : undefined;
  const dedupeKey = `${finding.cloud}:detector:${finding.account}:${finding.rule}:${finding.subject}:${finding.window}`;
  return {
    id: createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32),
    dedupeKey,
    cloud: finding.cloud,
    source: 'detector',
    type: finding.type,
    severity: finding.severity,
    observedAt: new Date(finding.observedAt).toISOString(),
    account: finding.account,
    ...(finding.region ? { region: finding.region } : {}),
    principal: finding.principal,
    ...(session ? { actor: session } : {}),
    resources: finding.resources,
    sample: false,
    title: finding.title,
    context: { rule: finding.rule, evidence: finding.evidence },
  };
}

/**
 * The role session a finding's principal acted as, when the log named one (its session ARN), with
 * the session's `aws:userid` (`<role unique id>:<session name>`) when the log gave that too
 * (CloudTrail `userIdentity.principalId`): what containment needs to cut off this session alone.
 */
export function sessionActor(p: PrincipalRef): AlertActor | undefined {
  const arn = p.aliases.find((a) => a.type === 'session-arn')?.value;
  if (!arn) return undefined;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const userId = p.aliases.find((a) => a.type === 'principal-id' && a.value.endsWith(`:${name}`))?.value;
  return { id: arn, kind: 'session', ...(userId ? { session: userId } : {}) };
}

/** The finding fields a record decides: where it happened and who acted. */
export function origin(r: ObjectAccess | InferenceRecord) {
  return {
    cloud: r.cloud,
    account: r.account,
    region: r.region,
    principal: r.kind === 'inference' ? r.caller : r.principal,
  };
}
