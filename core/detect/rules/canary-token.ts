import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { contentMatchDetector } from './content-match.ts';

/** What a matched token's name ends with when the request's own prompt carried it. */
export const ECHOED = '(echoed from the prompt)';

/**
 * Rule 5b: a canary token planted in training data (detect.canaryTokens) came back in a response:
 * the model is reciting proprietary data. The token itself is reported by a short prefix only. A
 * token the caller's prompt (the last user message) already held is marked echoed: the
 * `canary-echoed` signal, which only escalates.
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
      if (!hit) return undefined;
      // The caller's own message carried the token (a pasted watermark, a quoted document): the
      // answer repeats the user, it proves nothing was drawn out of the model.
      return r.prompt?.includes(hit) ? `${hit.slice(0, 8)}… ${ECHOED}` : `${hit.slice(0, 8)}…`;
    },
    title: (caller, hits) => `${hits} response(s) to ${caller} contained a planted canary token`,
  });
}
