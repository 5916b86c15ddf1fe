import type { Decision } from '../actions.ts';
import type { Config } from '../config.ts';
import type { CorrelatedAlert } from './correlate.ts';
import { type DetectorMode, findingMode } from './modes.ts';

/** One finding as the scan reports it: who, how sure, why, the mode, and what `contain` mode would do. */
export interface FindingLine {
  type: string;
  actor: string;
  principal: string | null;
  confidence: CorrelatedAlert['confidence'];
  signals: string[];
  mode: DetectorMode;
  /** The decision the finding would get if its detectors were in `contain` mode. */
  wouldDecide: Decision['decision'];
  reason: string;
}

/** `wouldDecide` is the decision of the finding as rated (callers pass `decide(finding, …)`). */
export function findingLine(finding: CorrelatedAlert, config: Config, wouldDecide: Decision): FindingLine {
  return {
    type: finding.type,
    actor: finding.actor.id,
    principal: finding.principal?.id ?? null,
    confidence: finding.confidence,
    signals: finding.signals,
    mode: findingMode(config, finding),
    wouldDecide: wouldDecide.decision,
    reason: wouldDecide.reason,
  };
}
