import type { Config } from '../../config.ts';
import { DETECTOR_ALERT_TYPES } from '../alert-types.ts';
import type { Detector } from '../detector.ts';
import { firstMatch } from '../patterns.ts';
import { ECHOED } from './canary-token.ts';
import { contentMatchDetector } from './content-match.ts';

interface SecretFormat {
  name: string;
  re: RegExp;
  /** The same pattern, global: every occurrence in a response, to tell an echo from a leak. */
  all: RegExp;
}

/**
 * Rule 5c: a response carries a configured secret format (thresholds.secretOutput.patterns). When
 * every secret the response holds was already in the caller's own prompt (a user pasting a key and
 * asking what it is, a log line quoted for debugging), the match is marked echoed: the
 * `secret-echoed` signal, which escalates but never corroborates an injection into containment.
 * One secret the prompt did not hold keeps the match a leak.
 */
export function secretOutputDetector(config: Config): Detector {
  const t = config.detect.thresholds.secretOutput;
  const table: SecretFormat[] = t.patterns.map((p) => ({
    name: p.name,
    re: new RegExp(p.regex, 'u'),
    all: new RegExp(p.regex, 'gu'),
  }));
  return contentMatchDetector({
    id: 'secret-output',
    type: DETECTOR_ALERT_TYPES.secretOutput,
    severity: t.severity,
    test: (r) => {
      if (!r.response || firstMatch(r.response, table) === undefined) return undefined;
      return leakedOrEchoed(r.response, r.prompt ?? '', table);
    },
    title: (caller, hits) => `${hits} response(s) to ${caller} contained secrets`,
  });
}

/**
 * Key material may run on past what a format matches (the private-key format matches the PEM header
 * only): an occurrence is echoed when the prompt holds it together with the run of key characters
 * that follows it (the rest of the token, and base64 lines of a PEM body), so "complete this: -----BEGIN PRIVATE KEY-----" answered with a key body is a leak.
 */
const KEY_TAIL = /[A-Za-z0-9+/=_-]{0,4096}(?:\r?\n[A-Za-z0-9+/=]{16,128}){0,128}/y;

/** The first format with an occurrence the prompt lacks; else the first format, marked echoed. */
export function leakedOrEchoed(
  response: string,
  prompt: string,
  table: readonly SecretFormat[],
): string | undefined {
  let echoed: string | undefined;
  for (const f of table) {
    for (const m of response.matchAll(f.all)) {
      if (m[0] === '' || !prompt.includes(withTail(response, m.index + m[0].length, m[0]))) return f.name;
      echoed ??= `${f.name} ${ECHOED}`;
    }
  }
  return echoed;
}

function withTail(response: string, end: number, match: string): string {
  KEY_TAIL.lastIndex = end;
  const tail = KEY_TAIL.exec(response);
  return tail ? match + tail[0] : match;
}
