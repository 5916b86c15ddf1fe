import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import { awsScanDeps } from '../../functions-aws/detect/scan-deps.ts';
import { azureScanDeps } from '../../functions-azure/detect/scan-deps.ts';

describe('scan function wiring fails closed', () => {
  it.each([
    [
      'AWS without its window table',
      () => awsScanDeps({ TOURNIQUET_CONFIG: '{}' }),
      /SCAN_STATE_TABLE is not set/,
    ],
    [
      'AWS with an invalid configuration',
      () => awsScanDeps({ SCAN_STATE_TABLE: 'scan-state', TOURNIQUET_CONFIG: '{"mode":"enforce"}' }),
      /needs an "aws" or "azure" section/,
    ],
    [
      'Azure without its window table',
      () => azureScanDeps({ TOURNIQUET_CONFIG: '{}' }),
      /SCAN_STATE_TABLE_URL must be/,
    ],
    [
      'Azure with a configuration that is not JSON',
      () =>
        azureScanDeps({
          SCAN_STATE_TABLE_URL: 'https://tqstate.table.core.windows.net/scanstate',
          TOURNIQUET_CONFIG: 'mode: enforce',
        }),
      /not valid JSON/,
    ],
  ])('%s', async (_name, build, message) => {
    const error = await build().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
