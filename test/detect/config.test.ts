import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { readerProfiles } from '../../core/detect/known-readers.ts';
import { modeOf } from '../../core/detect/modes.ts';
import { DEFAULT_SECRET_PATTERNS, DEFAULT_THRESHOLDS } from '../../core/detect/thresholds.ts';
import { ACCOUNT } from './detect-config.ts';

const base = {
  aws: {
    accounts: [ACCOUNT],
    responders: [`arn:aws:iam::${ACCOUNT}:role/ir-responder`],
    evidenceBucket: `ir-evidence-${ACCOUNT}`,
  },
};

describe('detect configuration', () => {
  it('gives every rule its documented defaults when detect is absent', () => {
    const { detect } = parseConfig(base);
    expect(detect.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(detect.thresholds.bulkRead).toMatchObject({
      windowMinutes: 60,
      maxBytes: 5 * 1024 ** 3,
      maxObjects: 25,
      knownReaderFactor: 20,
      severity: 8,
    });
    expect(detect.thresholds.egress).toMatchObject({ minSamples: 200, flowZ: 6, peerZ: 6, severity: 7 });
    expect(detect.thresholds.secretOutput.patterns).toEqual(DEFAULT_SECRET_PATTERNS);
    expect(detect).toMatchObject({ knownReaders: [], knownCallers: [], manifest: [], canaryTokens: [] });
  });

  it('starts every detector in audit with minConfidence medium; modes and profiles are strict', () => {
    const { detect } = parseConfig(base);
    expect(detect).toMatchObject({ modes: {}, minConfidence: 'medium' });
    expect(modeOf(parseConfig(base), 'bulk-read')).toBe('audit');
    const set = parseConfig({
      ...base,
      detect: { modes: { 'canary-token': 'contain' }, minConfidence: 'high' },
    });
    expect(modeOf(set, 'canary-token')).toBe('contain');
    expect(modeOf(set, 'bulk-read')).toBe('audit');
    expect(() => parseConfig({ ...base, detect: { modes: { 'bulk-reads': 'contain' } } })).toThrow(
      /bulk-reads/,
    );
    expect(() => parseConfig({ ...base, detect: { modes: { 'bulk-read': 'enforce' } } })).toThrow();
    expect(() => parseConfig({ ...base, detect: { minConfidence: 'certain' } })).toThrow();
    const profiles = parseConfig({
      ...base,
      detect: {
        knownReaders: [
          'arn:aws:iam::111122223333:role/a',
          { principal: 'arn:aws:iam::111122223333:role/b', networks: ['10.0.0.0/8'] },
        ],
      },
    });
    expect(readerProfiles(profiles)).toEqual([
      { principal: 'arn:aws:iam::111122223333:role/a', networks: [] },
      { principal: 'arn:aws:iam::111122223333:role/b', networks: ['10.0.0.0/8'] },
    ]);
    expect(() =>
      parseConfig({ ...base, detect: { knownReaders: [{ principal: 'x', cidrs: [] }] } }),
    ).toThrow();
  });

  it('keeps the other defaults of a section when one field is set', () => {
    const { detect } = parseConfig({
      ...base,
      detect: { thresholds: { requestRate: { maxRequests: 100 } } },
    });
    expect(detect.thresholds.requestRate).toEqual({ windowMinutes: 10, maxRequests: 100, severity: 6 });
  });

  it.each([
    [
      { thresholds: { bulkRead: { maxByte: 1 } } },
      /detect\.thresholds\.bulkRead: unknown key "maxByte": did you mean "maxBytes"\?/,
    ],
    [{ thresholds: { unknownRule: {} } }, /detect\.thresholds: unknown key "unknownRule" \(known: /],
    [{ thresholds: { canaryToken: { severity: 11 } } }, /detect\.thresholds\.canaryToken\.severity/],
    [
      { thresholds: { promptInjection: { patterns: [{ name: 'x', regex: '(' }] } } },
      /valid regular expression/,
    ],
    [{ manifest: [{ location: 'ftp://x/y', sha256: SHA() }] }, /detect\.manifest\.0\.location/],
    [{ manifest: [{ location: 's3://models-prod/a.bin', sha256: 'xyz' }] }, /detect\.manifest\.0\.sha256/],
    [{ canaryTokens: ['short'] }, /detect\.canaryTokens\.0/],
  ])('fails closed on %j', (detect, message) => {
    expect(() => parseConfig({ ...base, detect })).toThrow(message);
  });
});

function SHA() {
  return 'f'.repeat(64);
}
