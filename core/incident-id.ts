import { createHash } from 'node:crypto';
import type { Alert } from './alert.ts';

const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$/;

/**
 * The incident id for an alert: derived from its dedupe key only, so every delivery and every update
 * of the same finding (and a Security Hub copy of a GuardDuty finding) lands on the same incident.
 *
 * @example incidentIdFor(alert) // 'aws-guardduty-5c1f0e9a7b3d2c41a9e8'
 */
export function incidentIdFor(alert: Pick<Alert, 'dedupeKey'>): string {
  const [cloud = 'x', source = 'x'] = alert.dedupeKey.split(':');
  const hash = createHash('sha256').update(alert.dedupeKey).digest('hex').slice(0, 20);
  return `${cloud}-${source}-${hash}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** Incident ids given by hand: letters, digits, `.`, `_`, `-`; 3 to 100 characters. */
export function isIncidentId(value: string): boolean {
  return INCIDENT_ID.test(value);
}
