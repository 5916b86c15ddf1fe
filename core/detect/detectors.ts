import type { Config } from '../config.ts';
import type { Detector, DetectorFactory } from './detector.ts';
import { modeOf } from './modes.ts';
import { anonymousReadDetector } from './rules/anonymous-read.ts';
import { artifactCopiedDetector } from './rules/artifact-copied.ts';
import { artifactModifiedDetector } from './rules/artifact-modified.ts';
import { bulkDeleteDetector } from './rules/bulk-delete.ts';
import { bulkReadDetector } from './rules/bulk-read.ts';
import { canaryTokenDetector } from './rules/canary-token.ts';
import { egressVolumeDetector } from './rules/egress-volume.ts';
import { extractionPromptsDetector } from './rules/extraction-prompts.ts';
import { firstReaderDetector } from './rules/first-reader.ts';
import { newExternalPeerDetector } from './rules/new-external-peer.ts';
import { promptInjectionDetector } from './rules/prompt-injection.ts';
import { requestRateDetector } from './rules/request-rate.ts';
import { secretOutputDetector } from './rules/secret-output.ts';
import { unexpectedNetworkDetector } from './rules/unexpected-network.ts';
import { variedPromptsDetector } from './rules/varied-prompts.ts';

/** Every detection rule, in the order the issue lists them. */
export const DETECTOR_FACTORIES: readonly DetectorFactory[] = [
  bulkReadDetector,
  firstReaderDetector,
  unexpectedNetworkDetector,
  artifactModifiedDetector,
  bulkDeleteDetector,
  artifactCopiedDetector,
  egressVolumeDetector,
  newExternalPeerDetector,
  requestRateDetector,
  variedPromptsDetector,
  extractionPromptsDetector,
  promptInjectionDetector,
  canaryTokenDetector,
  secretOutputDetector,
  anonymousReadDetector,
];

/**
 * A fresh set of detectors for one scan session (they hold file-local state between flushes),
 * leaving out those whose `detect.modes` entry is `off`.
 */
export function createDetectors(config: Config): Detector[] {
  return DETECTOR_FACTORIES.map((make) => make(config)).filter((d) => modeOf(config, d.id) !== 'off');
}
