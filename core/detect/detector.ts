import type { Alert } from '../alert.ts';
import type { Config } from '../config.ts';
import type { DetectRecord } from './records.ts';
import type { WindowStore } from './window-store.ts';

/**
 * One detection rule. `observe` is synchronous and cheap (it runs for every record); `flush` runs
 * once per log file: it merges what was observed into the shared window state and returns the
 * alerts whose figures crossed a threshold. A detector forgets its file-local state on flush.
 */
export interface Detector {
  /** The rule id (`bulk-read`, `varied-prompts`, …), also the prefix of its state keys. */
  id: string;
  /**
   * The record kinds the rule reads: the scan hands it only those (every record when omitted).
   * `observe` still ignores other kinds, so callers that feed every record stay correct.
   */
  kinds?: readonly DetectRecord['kind'][];
  observe(record: DetectRecord): void;
  /**
   * With `only: 'spilled'`, flushes just the entries the rule spilled when its state reached
   * `detect.maxStateEntries` (the scan does this between batches while `hasSpilled()` is true).
   */
  flush(state: WindowStore, only?: 'spilled'): Promise<Alert[]>;
  /** Rules with bounded per-actor state: true when spilled entries wait for `flush(state, 'spilled')`. */
  hasSpilled?(): boolean;
  /**
   * For rules whose condition can stop holding as counts grow (a ratio): dedupe keys of alerts an
   * earlier spilled flush of this file returned that the later flush no longer supports.
   */
  withdrawn?(): string[];
}

/** Everything a rule factory needs: the configuration (thresholds, lists) and nothing else. */
export type DetectorFactory = (config: Config) => Detector;
