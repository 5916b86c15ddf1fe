import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
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
