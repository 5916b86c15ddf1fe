import type { ManualTarget, TargetMeta } from '../../core/manual-command.ts';
import type { ParsedEvent } from '../../core/parsed-event.ts';
import { withActor } from './actor.ts';
import { parseCloudTrail } from './cloudtrail.ts';
import { type DetailType, type Envelope, readEnvelope } from './envelope.ts';
import { parseGuardDuty } from './guardduty.ts';
import { parseMacie } from './macie.ts';
import { manualAlert } from './manual-target.ts';
import { describeRejection } from './rejection.ts';
import { parseSecurityHub } from './security-hub.ts';
import { parseSecurityHubV2 } from './security-hub-v2.ts';

const PARSERS: Record<DetailType, (envelope: Envelope) => ParsedEvent> = {
  'GuardDuty Finding': parseGuardDuty,
  'Security Hub Findings - Imported': parseSecurityHub,
  'Findings Imported V2': parseSecurityHubV2,
  'AWS API Call via CloudTrail': parseCloudTrail,
  'Macie Finding': parseMacie,
};

/**
 * Turns one EventBridge delivery (an object, or JSON text from the CLI) into normalized alerts, the
 * only place AWS event shapes are checked. Never throws: malformed, forged, oversized or foreign
 * input is `rejected` with a reason that says what was wrong; well-formed events Tourniquet has no
 * use for are `ignored`.
 *
 * @example
 * const parsed = parseAwsEvent(event);
 * if (parsed.kind === 'alerts') for (const alert of parsed.alerts) decide(alert, config, { now });
 */
export function parseAwsEvent(raw: unknown): ParsedEvent {
  try {
    const read = readEnvelope(raw);
    if (read.kind === 'ignored') return read;
    const parsed = PARSERS[read.envelope.detailType](read.envelope);
    return parsed.kind === 'alerts' ? { ...parsed, alerts: parsed.alerts.map(withActor) } : parsed;
  } catch (error) {
    return { kind: 'rejected', reason: describeRejection(error) };
  }
}

/**
 * A responder's explicit target → one `Manual` alert (see manual-target.ts). Never throws either.
 *
 * @example
 * parseAwsTarget({ principal: 'arn:aws:iam::111122223333:role/x', stores: ['models-prod'], objects: [],
 *   accessKeyIds: [] }, { incidentId: 'IR-2026-001', now: new Date(), config })
 */
export function parseAwsTarget(target: ManualTarget, meta: TargetMeta): ParsedEvent {
  try {
    return { kind: 'alerts', alerts: [manualAlert(target, meta)] };
  } catch (error) {
    return { kind: 'rejected', reason: describeRejection(error) };
  }
}
