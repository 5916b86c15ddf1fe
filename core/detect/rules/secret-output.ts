import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { firstMatch } from '../patterns.ts';
import { contentMatchDetector } from './content-match.ts';

/** Rule 5c: a response carries a configured secret format (thresholds.secretOutput.patterns). */
export function secretOutputDetector(config: Config): Detector {
  const t = config.detect.thresholds.secretOutput;
  const table = t.patterns.map((p) => ({ name: p.name, re: new RegExp(p.regex, 'u') }));
  return contentMatchDetector({
    id: 'secret-output',
    type: DETECTOR_ALERT_TYPES.secretOutput,
    severity: t.severity,
    test: (r) => (r.response ? firstMatch(r.response, table) : undefined),
    title: (caller, hits) => `${hits} response(s) to ${caller} contained secrets`,
  });
}
