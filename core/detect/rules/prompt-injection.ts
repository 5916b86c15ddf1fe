import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { firstMatch, INJECTION_PATTERNS, mayMatchBuiltIn } from '../patterns.ts';
import { contentMatchDetector } from './content-match.ts';

/** Rule 5a: prompts carrying injection phrasings (built-in table plus configured patterns). */
export function promptInjectionDetector(config: Config): Detector {
  const t = config.detect.thresholds.promptInjection;
  // Two tables: the configured rows compile with the u flag, the built-in ones without.
  const configured = t.patterns.map((p) => ({ name: p.name, re: new RegExp(p.regex, 'iu') }));
  return contentMatchDetector({
    id: 'prompt-injection',
    type: DETECTOR_ALERT_TYPES.promptInjection,
    severity: t.severity,
    test: (r) => {
      if (!r.prompt) return undefined;
      const builtIn = mayMatchBuiltIn(r.prompt) ? firstMatch(r.prompt, INJECTION_PATTERNS) : undefined;
      return builtIn ?? firstMatch(r.prompt, configured);
    },
    title: (caller, hits) => `${caller} sent ${hits} prompt(s) with injection patterns`,
  });
}
