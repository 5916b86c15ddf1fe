import type { Alert } from '../alert.ts';
import type { Config } from '../config.ts';
import { atLeastConfidence } from './combinations.ts';
import type { CorrelatedAlert } from './correlate.ts';

/** The detector ids (`detect.modes` keys), one per rule file in core/detect/rules. */
export const DETECTOR_IDS = [
  'bulk-read',
  'first-reader',
  'unexpected-network',
  'artifact-modified',
  'artifact-copied',
  'egress-volume',
  'new-external-peer',
  'request-rate',
  'varied-prompts',
  'extraction-prompts',
  'prompt-injection',
  'canary-token',
  'secret-output',
] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

/** From least to most acting: `off` is not run, `audit` acts on nothing, `alert` only escalates. */
export const DETECTOR_MODES = ['off', 'audit', 'alert', 'contain'] as const;
export type DetectorMode = (typeof DETECTOR_MODES)[number];

/** A detector's mode: as configured, else `audit` (a new detector acts on nothing until promoted). */
export function modeOf(config: Config, detector: string): DetectorMode {
  return (config.detect.modes as Partial<Record<string, DetectorMode>>)[detector] ?? 'audit';
}

/**
 * A finding's mode: the least acting mode among the detectors whose signals made it, so a detector
 * in `audit` never tips a finding into containment.
 */
export function findingMode(config: Config, finding: Alert): DetectorMode {
  const rules = (finding.context.rules as string[] | undefined) ?? [String(finding.context.rule ?? '')];
  let least: DetectorMode = 'contain';
  for (const r of rules) {
    const m = modeOf(config, r);
    if (DETECTOR_MODES.indexOf(m) < DETECTOR_MODES.indexOf(least)) least = m;
  }
  return least;
}

/** What a scan does with its findings: hands some to decide(), audits the others, keeps low ones as signals. */
export interface RoutedFindings {
  /** At or above minConfidence, mode `alert` (confidence capped at medium: escalate only) or `contain`. */
  act: CorrelatedAlert[];
  /** At or above minConfidence, mode `audit`: recorded with the decision they would get, never acted on. */
  audit: CorrelatedAlert[];
  /** Below minConfidence: signals only. */
  signals: CorrelatedAlert[];
}

export function routeFindings(findings: readonly CorrelatedAlert[], config: Config): RoutedFindings {
  const out: RoutedFindings = { act: [], audit: [], signals: [] };
  for (const f of findings) {
    if (!atLeastConfidence(f.confidence, config.detect.minConfidence)) out.signals.push(f);
    else {
      const mode = findingMode(config, f);
      if (mode === 'contain') out.act.push(f);
      else if (mode === 'alert') out.act.push(f.confidence === 'high' ? { ...f, confidence: 'medium' } : f);
      else out.audit.push(f);
    }
  }
  return out;
}
