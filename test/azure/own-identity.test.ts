import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { withOwnIdentityGuarded } from '../../functions-azure/wiring.ts';
import { PACKS } from '../../packs/index.ts';

const OWN = '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

describe("the Azure functions' own identity", () => {
  const config = parseConfig(JSON.parse(readFileSync('examples/tourniquet.config.json', 'utf8')));

  it('is added to the responders when the configuration does not list it', () => {
    expect(withOwnIdentityGuarded(config, OWN).azure?.responders).toEqual([
      ...(config.azure?.responders ?? []),
      OWN,
    ]);
    expect(withOwnIdentityGuarded(config, undefined)).toBe(config);
  });

  it('is then never revoked, whatever an alert says it did', () => {
    const guarded = withOwnIdentityGuarded(config, OWN);
    const sub = config.azure?.subscriptions[0] ?? '';
    const alert = {
      id: 'a',
      dedupeKey: 'azure:manual:own',
      cloud: 'azure' as const,
      source: 'manual' as const,
      type: 'Manual',
      severity: 10,
      observedAt: '2026-11-25T10:00:00Z',
      account: sub,
      sample: false,
      context: {},
      resources: [],
      principal: { id: OWN, kind: 'managed-identity' as const, account: sub, aliases: [], certain: true },
    };
    expect(
      decide(alert, config, { packs: PACKS, now: new Date() }).actions.some((a) => a.category === 'revoke'),
    ).toBe(true);
    expect(
      decide(alert, guarded, { packs: PACKS, now: new Date() }).actions.some((a) => a.category === 'revoke'),
    ).toBe(false);
  });
});
