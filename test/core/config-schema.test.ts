import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, SCHEMA_PATH } from '../../build/config-schema.ts';
import { parseConfig } from '../../core/config.ts';
import { ConfigError } from '../../core/errors.ts';

describe('configuration', () => {
  it('ships a JSON Schema for editors that matches the strict schema (run `npm run schema` when it changes)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(configJsonSchema());
  });

  it('parses the example configuration', () => {
    const config = parseConfig(JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')));
    expect(config.mode).toBe('enforce');
    expect(config.aws?.assets.map((a) => a.bucket)).toEqual(['models-prod', 'training-data']);
  });

  it('defaults to a dry run when mode is absent', () => {
    const config = parseConfig({
      aws: {
        accounts: ['111122223333'],
        responders: ['arn:aws:iam::111122223333:role/ir'],
        evidenceBucket: 'ir-evidence',
      },
    });
    expect(config.mode).toBe('dry-run');
  });

  it.each([
    ['a typo in a key', { mode: 'enforce', minSeverty: 7, aws: {} }, /Unrecognized key: "minSeverty"/],
    ['no cloud section', { mode: 'enforce' }, /needs an "aws" or "azure" section/],
    [
      'no responders',
      { aws: { accounts: ['111122223333'], responders: [], evidenceBucket: 'ir-evidence' } },
      /aws\.responders/,
    ],
    [
      'a foreign partition',
      {
        aws: {
          accounts: ['111122223333'],
          responders: ['arn:aws-cn:iam::111122223333:role/ir'],
          evidenceBucket: 'ir-evidence',
        },
      },
      /aws partition/,
    ],
    [
      '"enforce" misspelt',
      {
        mode: 'enforced',
        aws: {
          accounts: ['111122223333'],
          responders: ['arn:aws:iam::111122223333:role/ir'],
          evidenceBucket: 'ir-evidence',
        },
      },
      /mode/,
    ],
  ])('fails closed on %s, naming the problem', (_name, input, message) => {
    expect(() => parseConfig(input)).toThrow(ConfigError);
    expect(() => parseConfig(input)).toThrow(message);
  });
});
