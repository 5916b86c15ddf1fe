// azure.quarantine.disablePublicNetworkAccess: refused without a responder private endpoint, planned when opted in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { parseConfig } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { azureConfig, azureSection, SUB } from './support/config.ts';

const PE = `/subscriptions/${SUB}/resourceGroups/rg-ir/providers/Microsoft.Network/privateEndpoints/pe-ir-blob`;
const now = new Date('2026-11-25T10:10:00Z');

function problems(quarantine: Record<string, unknown>): string[] {
  try {
    parseConfig({ mode: 'enforce', azure: azureSection({ quarantine }) });
    return [];
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [String(error)];
  }
}

describe('azure.quarantine.disablePublicNetworkAccess', () => {
  it('is refused without a responder private endpoint, even with azure.responderNetwork set', () => {
    expect(problems({ disablePublicNetworkAccess: true })).toEqual([
      expect.stringMatching(
        /^azure\.quarantine\.disablePublicNetworkAccess: needs azure\.quarantine\.responderPrivateEndpoints .*azure\.responderNetwork included, so responders would be locked out$/,
      ),
    ]);
    expect(problems({ disablePublicNetworkAccess: true, responderPrivateEndpoints: [PE] })).toEqual([]);
    expect(problems({ responderPrivateEndpoints: ['pe-ir-blob'] })).toEqual([
      expect.stringMatching(
        /^azure\.quarantine\.responderPrivateEndpoints\.0: must be a private endpoint resource id/,
      ),
    ]);
  });

  it('puts the opt-in and the endpoints on the account quarantine, and nothing when not opted in', () => {
    const event = JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8'));
    const parsed = parseAzureEvent(event);
    if (parsed.kind !== 'alerts') throw new Error('fixture did not parse');
    const alert = parsed.alerts[0] as Alert;
    const params = (quarantine?: Record<string, unknown>) =>
      decide(alert, azureConfig(quarantine ? { quarantine } : {}), { packs: PACKS, now }).actions.find(
        (a) => a.kind === 'quarantine-storage-account',
      )?.params;
    expect(params({ disablePublicNetworkAccess: true, responderPrivateEndpoints: [PE] })).toMatchObject({
      disablePublicNetworkAccess: true,
      responderPrivateEndpoints: [PE],
    });
    expect(params()).not.toHaveProperty('disablePublicNetworkAccess');
  });
});
