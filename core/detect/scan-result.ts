import type { Decision } from '../actions.ts';
import type { FindingLine } from './finding-line.ts';
import type { ScanStats } from './scan.ts';

/** One log object or blob a scan function was told about: scanned (its figures), or skipped and why. */
export interface ScannedLog {
  /** The object's canonical id: `s3://bucket/key`, or the blob URL. */
  object: string;
  stats?: ScanStats;
  /** Why it was not scanned (not a log Tourniquet reads, already scanned, gone): no retry changes it. */
  skipped?: string;
}

/**
 * What one invocation of a scan function did, on either cloud: the event rejected, or each log
 * scanned or skipped and the decision on each alert the detectors raised.
 */
export type ScanResult =
  | { rejected: string }
  | {
      scanned: ScannedLog[];
      /** The findings handed to decide(): detectors in `alert` or `contain` mode, at or above minConfidence. */
      decisions: Decision[];
      /** Findings of detectors in `audit` mode: what they would have done; nothing acted on. */
      audited?: FindingLine[];
    };
