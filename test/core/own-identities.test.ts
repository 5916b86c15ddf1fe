/**
 * The deployment's own identities (`aws.ownRoles`, `azure.ownIdentities`): a `tourniquet plan` or
 * `contain` from a workstation has no function role to exempt, so the configuration names them, and
 * every path (decision, quarantine exemption, plan guard) treats them as responders.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../cli/config-file.ts';
import type { Alert } from '../../core/alert.ts';
import { parseConfig } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { ConfigError } from '../../core/errors.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { azureConfig, USER } from '../azure/support/config.ts';
import { exfiltrationAlert, role } from '../support/alerts.ts';
import { ACCOUNT, awsConfig, MEMBER } from '../support/config.ts';

const now = new Date('2026-11-25T10:10:00Z');
const HOME_ROLE = `arn:aws:iam::${ACCOUNT}:role/tourniquet-prod-home`;

function withAws(extra: Record<string, unknown>) {
  const base = awsConfig();
  return parseConfig({ mode: 'enforce', minSeverity: 7, aws: { ...rawAws(base), ...extra } });
}
function rawAws(config: ReturnType<typeof awsConfig>) {
  const { accounts, responders, protectedPrincipals, assets, evidenceBucket, memberRoleName } =
    config.aws ?? {};
  return { accounts, responders, protectedPrincipals, assets, evidenceBucket, memberRoleName };
}

describe('the deployment’s own identities', () => {
  it('never revokes a configured own role and exempts it from the quarantine', () => {
    const config = withAws({ ownRoles: [HOME_ROLE] });
    const d = decide(exfiltrationAlert({ principal: role('tourniquet-prod-home') }), config, {
      packs: PACKS,
      now,
    });
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(d.actions.at(-1)?.params).toMatchObject({ reason: expect.stringMatching(/responder identity/) });
    // Another actor's quarantine still lets Tourniquet's own role in.
    const other = decide(exfiltrationAlert(), config, { packs: PACKS, now });
    const q = other.actions.find((a) => a.kind === 'quarantine-bucket');
    expect(JSON.stringify(q?.params)).toContain(HOME_ROLE);
  });

  it('exempts the member role in every account in a CLI run, without the function’s help', () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-'));
    const file = join(dir, 'tourniquet.config.json');
    writeFileSync(file, JSON.stringify({ mode: 'enforce', minSeverity: 7, aws: rawAws(awsConfig()) }));
    const { config } = loadConfigFile(file);
    const d = decide(exfiltrationAlert({ principal: role('tourniquet-member', MEMBER) }), config, {
      packs: PACKS,
      now,
    });
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
    expect(d.actions.at(-1)?.params).toMatchObject({ reason: expect.stringMatching(/responder identity/) });
  });

  it.each([
    ['a wildcard', `arn:aws:iam::${ACCOUNT}:role/tourniquet-*`],
    ['a user', `arn:aws:iam::${ACCOUNT}:user/deployer`],
  ])('refuses %s as an own role', (_name, arn) => {
    expect(() => withAws({ ownRoles: [arn] })).toThrow(ConfigError);
  });

  it('never revokes a configured own Azure identity', () => {
    const event = JSON.parse(
      readFileSync('test/fixtures/azure/eventgrid-role-assignment-write.json', 'utf8'),
    );
    const parsed = parseAzureEvent(event);
    if (parsed.kind !== 'alerts') throw new Error('fixture did not parse');
    const alert = parsed.alerts[0] as Alert;
    expect(alert.principal?.id).toBe(USER);
    const d = decide(alert, azureConfig({ ownIdentities: [USER] }), { packs: PACKS, now });
    expect(d.actions.filter((a) => a.category === 'revoke')).toEqual([]);
  });
});
