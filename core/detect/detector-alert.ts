import { createHash } from 'node:crypto';
import type { Alert, Cloud, PrincipalRef, ResourceRef } from '../alert.ts';
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
    resources: finding.resources,
    sample: false,
    title: finding.title,
    context: { rule: finding.rule, evidence: finding.evidence },
  };
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
