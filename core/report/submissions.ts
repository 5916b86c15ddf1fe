import type { Regime } from '../compliance-config.ts';
import type { RegimeContext } from './regime-context.ts';

/** The stages a submission can be recorded for, by a short key (`gdpr:notification`). */
export const STAGES: Readonly<Record<string, { regime: Regime; stage: string }>> = {
  'gdpr:notification': { regime: 'gdpr', stage: 'notification to the supervisory authority' },
  'nis2:early-warning': { regime: 'nis2', stage: 'early warning' },
  'nis2:notification': { regime: 'nis2', stage: 'incident notification' },
  'nis2:final': { regime: 'nis2', stage: 'final report' },
  'dora:initial': { regime: 'dora', stage: 'initial notification' },
  'dora:intermediate': { regime: 'dora', stage: 'intermediate report' },
  'dora:final': { regime: 'dora', stage: 'final report' },
};

/**
 * Parses `KEY=TIME` (e.g. `nis2:early-warning=2026-11-26T08:00Z`): a notification a person
 * submitted, so its clock shows `met` (and later stages count from it). Undefined with the reason
 * when the text is not one.
 */
export function parseSubmission(text: string): RegimeContext['submissions'][number] | string {
  const m = /^([a-z0-9]+:[a-z-]+)=(.+)$/.exec(text);
  const stage = m ? STAGES[m[1] ?? ''] : undefined;
  if (!m || !stage) return `"${text}" is not STAGE=TIME with STAGE one of ${Object.keys(STAGES).join(', ')}`;
  const at = Date.parse(m[2] ?? '');
  if (Number.isNaN(at)) return `"${m[2]}" is not an ISO 8601 time`;
  return { ...stage, at: new Date(at).toISOString() };
}
