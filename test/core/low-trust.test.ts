/**
 * Issue 8, fix 4: findings anyone can write (a Security Hub finding imported under a custom
 * product, a Defender-shaped alert published to an Event Grid custom topic) escalate only unless
 * the configuration names their channel as trusted; they never re-open a released incident; and an
 * observation time in the future is refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { parseConfig } from '../../core/config.ts';
import { decide } from '../../core/decide.ts';
import { handleParsedEvent } from '../../core/handle.ts';
import { incidentJournal } from '../../core/journal.ts';
import { memoryStore } from '../../core/memory-store.ts';
import { release } from '../../core/release.ts';
import { parseAwsEvent } from '../../functions-aws/events/index.ts';
import { parseAzureEvent } from '../../functions-azure/events/index.ts';
import { PACKS } from '../../packs/index.ts';
import { alertsOf, fixture } from '../aws/events/fixtures.ts';
import { azureConfig, azureSection, SUB } from '../azure/support/config.ts';
import { exfiltrationAlert } from '../support/alerts.ts';
import { awsConfig } from '../support/config.ts';
import { fakeCloud, instantRetry } from '../support/fake-executors.ts';

const now = new Date('2026-11-25T12:00:00.000Z');
const CUSTOM = 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default';
const TOPIC = `/subscriptions/${SUB}/resourceGroups/rg-sec/providers/Microsoft.EventGrid/topics/defender-alerts`;
const kinds = (alert: Alert, config = awsConfig()) =>
  decide(alert, config, { packs: PACKS, now }).actions.map((a) => a.kind);

function importedFinding(): Alert {
  const alerts = alertsOf(parseAwsEvent(fixture('events', 'securityhub-findings.json')));
  const imported = alerts.find((a) => a.context.productArn === CUSTOM);
  if (!imported) throw new Error('the fixture has no custom-product finding');
  return imported;
}

function customTopicAlert(): Alert {
  const data = JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8'));
  const parsed = parseAzureEvent({
    id: 'f5e4d3c2-b1a0-4f9e-8d7c-6b5a4f3e2d1c',
    topic: TOPIC,
    subject: 'defender/alerts',
    eventType: 'Tourniquet.DefenderAlert',
    eventTime: '2026-11-25T10:00:45Z',
    data,
    dataVersion: '1',
  });
  if (parsed.kind !== 'alerts' || !parsed.alerts[0]) throw new Error(JSON.stringify(parsed));
  return parsed.alerts[0];
}

describe('low-trust channels escalate only', () => {
  it('a Security Hub finding imported by a custom product quarantines nothing', () => {
    const d = decide(importedFinding(), awsConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
    expect(d.reason).toMatch(/not operated by AWS.*aws\.trustedProducts/);
  });

  it('unless aws.trustedProducts names the product: then its stores are contained', () => {
    const base = awsConfig();
    const config = parseConfig({ ...base, aws: { ...base.aws, trustedProducts: [CUSTOM] } });
    expect(kinds(importedFinding(), config)).toContain('quarantine-bucket');
  });

  it('a Defender-shaped alert from an Event Grid custom topic quarantines nothing', () => {
    const d = decide(customTopicAlert(), azureConfig(), { packs: PACKS, now });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
    expect(d.reason).toMatch(/custom topic .*defender-alerts.*azure\.trustedTopics/);
  });

  it('unless azure.trustedTopics lists the topic (any case)', () => {
    const config = parseConfig({
      mode: 'enforce',
      minSeverity: 7,
      azure: azureSection({ trustedTopics: [TOPIC.toLowerCase()] }),
    });
    expect(kinds(customTopicAlert(), config)).toContain('quarantine-storage-account');
  });

  it('the same alert delivered directly (action group, HTTP function) is trusted as before', () => {
    const data = JSON.parse(readFileSync('test/fixtures/azure/defender-data-exfiltration.json', 'utf8'));
    const parsed = parseAzureEvent(data);
    if (parsed.kind !== 'alerts' || !parsed.alerts[0]) throw new Error(JSON.stringify(parsed));
    expect(kinds(parsed.alerts[0], azureConfig())).toContain('quarantine-storage-account');
  });
});

function world() {
  const cloud = fakeCloud();
  let clock = new Date('2026-11-25T10:00:00Z');
  const deps = {
    config: awsConfig(),
    executors: cloud.executors,
    packs: PACKS,
    journal: incidentJournal(memoryStore()),
    retry: instantRetry,
    now: () => clock,
  };
  return { cloud, deps, setClock: (iso: string) => (clock = new Date(iso)) };
}

describe('low-trust findings and released incidents', () => {
  it('a custom-product finding seen again after a release does not re-open the incident', async () => {
    const { deps, setClock } = world();
    const first = { ...importedFinding(), observedAt: '2026-11-25T09:59:00.000Z' };
    const { outcomes } = await handleParsedEvent({ kind: 'alerts', alerts: [first] }, deps);
    const incidentId = outcomes[0]?.decision.incidentId ?? '';
    setClock('2026-11-25T11:00:00Z');
    await release({ incidentId, approver: 'alice', reason: 'false positive' }, deps);
    setClock('2026-11-25T12:00:00Z');
    const again = { ...first, observedAt: '2026-11-25T11:30:00.000Z' };
    const { outcomes: later } = await handleParsedEvent({ kind: 'alerts', alerts: [again] }, deps);
    expect(later[0]?.decision.incidentId).toBe(incidentId);
    expect(later[0]?.report?.status).toBe('released');
  });

  it('an observation time beyond five minutes in the future is rejected; a little clock skew is not', async () => {
    const { cloud, deps } = world();
    const ahead = exfiltrationAlert({ observedAt: '2026-11-25T10:06:00.000Z' });
    const { outcomes } = await handleParsedEvent({ kind: 'alerts', alerts: [ahead] }, deps);
    expect(outcomes[0]?.decision).toMatchObject({
      decision: 'reject',
      reason: expect.stringMatching(/observed at 2026-11-25T10:06:00.000Z, in the future/),
    });
    expect(cloud.calls.filter((c) => c.op === 'apply')).toEqual([]);
    const skewed = exfiltrationAlert({ observedAt: '2026-11-25T10:04:00.000Z' });
    const { outcomes: ok } = await handleParsedEvent({ kind: 'alerts', alerts: [skewed] }, deps);
    expect(ok[0]?.decision.decision).toBe('contain');
  });
});
