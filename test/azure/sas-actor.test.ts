/**
 * A SAS actor (issue 7, surgical containment): not an identity to revoke; the plan tells the
 * responder whether the storage quarantine cuts it off, or how to do it by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { azureConfig } from './support/config.ts';

const now = new Date('2026-11-25T10:10:00Z');
const HASH = '04D64C2B3A704145C9F1664F201123467A74D72DA72751A9137DDAA732FA03CF';

function sasAlert(): Alert {
  const parsed = parseAzureEvent(
    JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8')),
  );
  if (parsed.kind !== 'alerts' || !parsed.alerts[0]) throw new Error('fixture did not parse');
  const alert = parsed.alerts[0];
  const account = alert.principal?.account ?? alert.account;
  return {
    ...alert,
    principal: {
      id: `sas:${HASH}`,
      kind: 'unknown',
      account,
      aliases: [{ type: 'sas', value: HASH }],
      certain: false,
    },
  };
}

const told = (alert: Alert) => {
  const d = decide(alert, azureConfig(), { packs: PACKS, now });
  const escalate = d.actions.find((a) => a.kind === 'escalate');
  return { d, reason: String((escalate?.params as { reason?: string } | undefined)?.reason ?? '') };
};

describe('a SAS actor', () => {
  it('is not revoked; the plan says the account quarantine cuts it off', () => {
    const { d, reason } = told(sasAlert());
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(d.actions.some((a) => a.kind === 'quarantine-storage-account')).toBe(true);
    expect(reason).toContain(`SAS ${HASH.slice(0, 12)}… is cut off by the storage account quarantine`);
  });

  it('without a quarantine in the plan, the responder is told how to cut it off by hand', () => {
    const { reason } = told({ ...sasAlert(), type: 'Storage.Blob_GeoAnomaly' });
    expect(reason).toContain(`SAS ${HASH.slice(0, 12)}… is NOT cut off automatically`);
  });
});
