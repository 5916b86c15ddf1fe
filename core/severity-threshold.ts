import type { Alert } from './alert.ts';
import type { Config } from './config.ts';
import { type Playbook, typeMatches } from './playbooks/playbook.ts';

/** The severity an alert must reach, and where that number comes from (for the decision's reason). */
export interface Threshold {
  value: number;
  source: 'minSeverityByType' | 'playbook' | 'minSeverity';
}

/**
 * The threshold for one alert: its type in `minSeverityByType` (an exact key first, else the
 * matching pattern with the most literal characters), else the playbook's own default for its
 * types, else `minSeverity`. AI Protection findings are rated Low by GuardDuty: a single global
 * threshold would drop every one of them, so the threshold follows the type.
 *
 * @example
 * severityThreshold(alert, config, playbook) // { value: 2, source: 'playbook' }
 */
export function severityThreshold(alert: Alert, config: Config, playbook: Playbook): Threshold {
  const byType = config.minSeverityByType;
  const exact = Object.hasOwn(byType, alert.type) ? byType[alert.type] : undefined;
  if (exact !== undefined) return { value: exact, source: 'minSeverityByType' };
  const pattern = Object.keys(byType)
    .filter((p) => p.includes('*') && typeMatches(p, alert.type))
    .sort((a, b) => b.replace(/\*/g, '').length - a.replace(/\*/g, '').length || a.localeCompare(b))[0];
  if (pattern !== undefined) return { value: byType[pattern] as number, source: 'minSeverityByType' };
  if (playbook.minSeverity !== undefined) return { value: playbook.minSeverity, source: 'playbook' };
  return { value: config.minSeverity, source: 'minSeverity' };
}

/** The threshold in words: `minSeverity 7`, `minSeverityByType 2 for <type>`, `the playbook's 2 for <type>`. */
export function describeThreshold(t: Threshold, type: string): string {
  if (t.source === 'minSeverity') return `minSeverity ${t.value}`;
  if (t.source === 'minSeverityByType') return `minSeverityByType ${t.value} for ${type}`;
  return `the playbook's threshold ${t.value} for ${type}`;
}
