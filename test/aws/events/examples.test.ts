/**
 * The AWS events in examples/events/ (the README points users at them) are copies of documented-shape
 * fixtures; with examples/tourniquet.config.json each must lead to containment, so `tourniquet plan`
 * shows something worth reading.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config.ts';
import { decide } from '../../../core/decide.ts';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { PACKS } from '../../../packs/index.ts';
import { alertsOf, fixtureText } from './fixtures.ts';

const examples = new URL('../../../examples/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, examples), 'utf8');

const COPIES: Record<string, string> = {
  'guardduty-s3-exfiltration.json': 'guardduty-s3-exfiltration-assumed-role.json',
  'guardduty-iam-user-credential-exfiltration.json': 'guardduty-credential-exfiltration-outside-aws.json',
  'cloudtrail-getobject.json': 'cloudtrail-getobject.json',
  'securityhub-findings.json': 'securityhub-findings.json',
};

describe('examples/events (AWS)', () => {
  it.each(Object.entries(COPIES))('%s is the fixture %s', (example, source) => {
    expect(JSON.parse(read(`events/${example}`))).toEqual(JSON.parse(fixtureText('events', source)));
  });

  it.each(Object.keys(COPIES))('%s leads to containment with the example configuration', (example) => {
    const config = parseConfig(JSON.parse(read('tourniquet.config.json')));
    const now = new Date('2026-11-25T12:00:00.000Z');
    for (const alert of alertsOf(parseAwsEvent(read(`events/${example}`)))) {
      const d = decide(alert, config, { packs: PACKS, now });
      expect(d.decision, d.reason).toBe('contain');
      // Revoked only when the actor is certain (an imported custom finding's actor is escalated).
      expect(d.actions.some((a) => a.category === 'revoke')).toBe(alert.principal?.certain === true);
    }
  });
});
