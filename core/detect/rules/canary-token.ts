import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { contentMatchDetector } from './content-match.ts';

/**
 * Rule 5b: a canary token planted in training data (detect.canaryTokens) came back in a response:
 * the model is reciting proprietary data. The token itself is reported by a short prefix only.
 */
export function canaryTokenDetector(config: Config): Detector {
  const tokens = config.detect.canaryTokens;
  return contentMatchDetector({
    id: 'canary-token',
    type: DETECTOR_ALERT_TYPES.canaryToken,
    severity: config.detect.thresholds.canaryToken.severity,
    test: (r) => {
      if (!r.response || tokens.length === 0) return undefined;
      const hit = tokens.find((t) => r.response?.includes(t));
      return hit ? `${hit.slice(0, 8)}…` : undefined;
    },
    title: (caller, hits) => `${hits} response(s) to ${caller} contained a planted canary token`,
  });
}
