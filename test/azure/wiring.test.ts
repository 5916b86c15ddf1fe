import { describe, expect, it } from 'vitest';
import { getAzureRuntime } from '../../functions-azure/wiring.ts';
import { azureSection } from './support/config.ts';

describe('getAzureRuntime (composition root)', () => {
  it.each([
    ['unset', undefined, /TOURNIQUET_CONFIG is empty or unset/],
    ['not JSON', '{mode: enforce', /TOURNIQUET_CONFIG is not valid JSON/],
    [
      'an unknown key',
      JSON.stringify({ azure: { ...azureSection(), typo: true } }),
      /azure: Unrecognized key/i,
    ],
    [
      'a bad object id',
      JSON.stringify({ azure: { ...azureSection(), responders: ['ir-responder'] } }),
      /azure\.responders\.0: must be an Entra object id/,
    ],
    [
      'no azure section',
      JSON.stringify({
        aws: {
          accounts: ['111122223333'],
          responders: ['arn:aws:iam::111122223333:role/ir'],
          evidenceBucket: 'ir-evidence-1',
        },
      }),
      /no "azure" section/,
    ],
  ])('fails closed with the reason when the configuration is %s', async (_name, text, reason) => {
    await expect(getAzureRuntime({ TOURNIQUET_CONFIG: text })).rejects.toThrow(reason);
  });

  it('does not cache a failed start: the next invocation reads the configuration again', async () => {
    await expect(getAzureRuntime({})).rejects.toThrow(/unset/);
    await expect(getAzureRuntime({ TOURNIQUET_CONFIG: '[' })).rejects.toThrow(/not valid JSON/);
  });
});
