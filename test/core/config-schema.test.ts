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
    [
      'a typo in a key',
      { mode: 'enforce', minSeverty: 7, aws: {} },
      /\(top\): unknown key "minSeverty": did you mean "minSeverity"\?/,
    ],
    [
      'a typo in a nested key',
      { detect: { knownReader: [] }, aws: {} },
      /detect: unknown key "knownReader": did you mean "knownReaders"\?/,
    ],
    [
      'an unknown key in an array element',
      { aws: { assets: [{ bucket: 'models-prod', kind: 'model-weights', prefix: [''] }] } },
      /aws\.assets\.0: unknown key "prefix": did you mean "prefixes"\?/,
    ],
    [
      'a key nothing resembles',
      { colour: 'red', aws: {} },
      /\(top\): unknown key "colour" \(known: \$schema, mode, minSeverity, minSeverityByType, limits, aws, azure, detect, /,
    ],
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
    [
      'a role unique id that is not an AROA… id',
      {
        aws: {
          accounts: ['111122223333'],
          responders: ['arn:aws:iam::111122223333:role/ir'],
          evidenceBucket: 'ir-evidence',
          roleUniqueIds: { 'arn:aws:iam::111122223333:role/portal-app-role': 'AIDAEXAMPLE0000000' },
        },
      },
      /aws\.roleUniqueIds.*must be a role unique id \(AROA…\)/,
    ],
    [
      'a role unique id keyed by a session ARN',
      {
        aws: {
          accounts: ['111122223333'],
          responders: ['arn:aws:iam::111122223333:role/ir'],
          evidenceBucket: 'ir-evidence',
          roleUniqueIds: { 'arn:aws:sts::111122223333:assumed-role/portal-app-role/x': 'AROAEXAMPLE0000000' },
        },
      },
      /aws\.roleUniqueIds\.arn:aws:sts::111122223333:assumed-role\/portal-app-role\/x: Invalid key in record/,
    ],
  ])('fails closed on %s, naming the problem', (_name, input, message) => {
    expect(() => parseConfig(input)).toThrow(ConfigError);
    expect(() => parseConfig(input)).toThrow(message);
  });
});

describe('compliance configuration', () => {
  const aws = (assets: unknown[]) => ({
    accounts: ['111122223333'],
    responders: ['arn:aws:iam::111122223333:role/ir'],
    evidenceBucket: 'ir-evidence',
    assets,
  });

  it('parses the issue example: regimes, entity, contacts, asset data and lineage', () => {
    const config = parseConfig(JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')));
    expect(config.compliance).toEqual({
      regimes: ['gdpr', 'nis2', 'dora'],
      entity: { name: 'Acme AI GmbH', lei: '5299001ACMEAIGMBH042', memberStates: ['DE', 'FR'] },
      contacts: {
        dpo: { name: 'Dana Schmidt', email: 'dpo@acme-ai.example' },
        security: { name: 'Sam Okafor', email: 'security@acme-ai.example' },
      },
    });
    expect(config.aws?.assets[1]).toMatchObject({
      dataCategories: ['training-data:customer-support-transcripts'],
      personalData: true,
      approxRecords: 1200000,
      approxDataSubjects: 85000,
    });
    expect(config.azure?.assets[0]?.trainedOn).toEqual(['training-data']);
  });

  it.each([
    ['an unknown regime', { compliance: { regimes: ['sox'] } }, /compliance\.regimes\.0/],
    [
      'a country outside the EU/EEA',
      { compliance: { entity: { name: 'A', memberStates: ['US'] } } },
      /memberStates\.0/,
    ],
    ['a malformed LEI', { compliance: { entity: { name: 'A', lei: 'ACME' } } }, /20-character LEI/],
    ['a typo in a contact', { compliance: { contacts: { dpo: { name: 'D', mail: 'd@x.eu' } } } }, /mail/],
    [
      'a negative record count',
      { aws: aws([{ bucket: 'b1', kind: 'training-data', approxRecords: -1 }]) },
      /approxRecords/,
    ],
    [
      'trainedOn naming no asset',
      { aws: aws([{ bucket: 'models', kind: 'model-weights', trainedOn: ['corpus'] }]) },
      /aws\.assets\.0\.trainedOn\.0: "corpus" names no configured asset/,
    ],
  ])('fails closed on %s', (_name, input, message) => {
    const base = { aws: aws([]) };
    expect(() => parseConfig({ ...base, ...input })).toThrow(message);
  });
});
