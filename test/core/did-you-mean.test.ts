import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../core/did-you-mean.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['minSeverty', 'minSeverity', 1],
    ['dryrun', 'dry-run', 1],
    ['tabel', 'table', 1],
    ['principle', 'principal', 2],
    ['kitten', 'sitting', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const flags = ['event', 'config', 'dry-run', 'principal', 'bucket', 'incident-id', 'output', 'json'];
  it.each([
    ['dryrun', 'dry-run'],
    ['principle', 'principal'],
    ['buckets', 'bucket'],
    ['evnt', 'event'],
    ['ouptut', 'output'],
    ['incident', 'incident-id'],
    ['colour', undefined],
    ['x', undefined],
    ['jsonl', 'json'],
  ])('%j means %j', (word, meant) => {
    expect(didYouMean(word, flags)).toBe(meant);
  });

  it('guesses nothing when two candidates are as close', () => {
    expect(didYouMean('cat', ['bat', 'hat'])).toBeUndefined();
  });
});
