import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.ts';
import { decide } from '../../core/decide.ts';
import { DETECTOR_ALERT_TYPES as T } from '../../core/detect/alert-types.ts';
import { detectorAlert } from '../../core/detect/detector-alert.ts';
import { ipPrincipal } from '../../core/detect/principals.ts';
import { playbookTable } from '../../core/playbooks/index.ts';
import { findPlaybook } from '../../core/playbooks/playbook.ts';
import { PACKS } from '../../packs/index.ts';
import { ACCOUNT, detectConfig } from './detect-config.ts';
import { iamUser, roleSession } from './traffic/principals.ts';

const now = new Date('2026-11-25T11:00:00Z');

/** A finding the correlator rated `high` (the only confidence that may contain). */
function alert(type: Alert['type'], principal: Alert['principal'], severity = 9): Alert {
  return highConfidence({
    rule: 'test',
    type: type as (typeof T)[keyof typeof T],
    severity,
    cloud: 'aws',
    account: ACCOUNT,
    principal,
    resources: [{ kind: 'bucket', id: 'arn:aws:s3:::models-prod' }],
    observedAt: now.getTime(),
    subject: principal?.id ?? 'none',
    window: 0,
    title: 't',
    evidence: {},
  });
}

function highConfidence(finding: Parameters<typeof detectorAlert>[0]): Alert {
  return {
    ...detectorAlert(finding),
    confidence: 'high',
    signals: ['test'],
    actor: { id: finding.subject, kind: 'principal' },
  };
}

describe('detector playbooks', () => {
  it.each(Object.values(T))('%s has a playbook', (type) => {
    expect(findPlaybook(alert(type, iamUser('x')), playbookTable(PACKS))?.id).toMatch(/^detect-/);
  });

  it.each([
    // The store stays up: the known readers of detectConfig() serve from it (detect.quarantine).
    [T.bulkRead, ['revoke-role-sessions', 'pin-objects', 'copy-evidence', 'escalate']],
    [T.unexpectedNetwork, ['revoke-role-sessions', 'pin-objects', 'escalate']],
    [T.firstReader, ['pin-objects', 'escalate']],
    [T.artifactModified, ['revoke-role-sessions', 'pin-objects', 'copy-evidence', 'escalate']],
    [T.canaryToken, ['revoke-role-sessions', 'escalate']],
    [T.variedPrompts, ['revoke-role-sessions', 'escalate']],
    [T.requestRate, ['escalate']],
    [T.promptInjection, ['escalate']],
  ])('%s by a certain role leads to %j', (type, kinds) => {
    const d = decide(alert(type, roleSession('contractor-role', 's1')), detectConfig(), {
      packs: PACKS,
      now,
    });
    expect(d.decision).toBe('contain');
    expect(d.actions.map((a) => a.kind)).toEqual(kinds);
  });

  describe('a store the workloads read (detect.knownReaders)', () => {
    const bulk = () => alert(T.bulkRead, roleSession('contractor-role', 's1'));
    const kinds = (config = detectConfig()) =>
      decide(bulk(), config, { packs: PACKS, now }).actions.map((a) => a.kind);

    it('is not quarantined when the actor is revoked: humans are told why and how', () => {
      const d = decide(bulk(), detectConfig(), { packs: PACKS, now });
      expect(d.decision).toBe('contain');
      expect(d.actions.map((a) => a.kind)).not.toContain('quarantine-bucket');
      expect(d.reason).toContain(
        'quarantine of arn:aws:s3:::models-prod withheld: workloads read it (detect.knownReaders: ' +
          'arn:aws:iam::111122223333:role/llm-finetune-role, arn:aws:sts::111122223333:assumed-role/llm-inference-role/*, ' +
          'a4711f3a-254f-4cfb-8a2d-111111111111) and the revocation already cuts the actor off',
      );
      const escalation = d.actions.find((a) => a.kind === 'escalate');
      expect(JSON.stringify(escalation)).toContain('withheld: workloads read it');
    });

    it('is quarantined with detect.quarantine "always", or when no workload is configured', () => {
      const quarantined = [
        'revoke-role-sessions',
        'quarantine-bucket',
        'pin-objects',
        'copy-evidence',
        'escalate',
      ];
      expect(kinds(detectConfig({ quarantine: 'always' }))).toEqual(quarantined);
      expect(kinds(detectConfig({ knownReaders: [] }))).toEqual(quarantined);
    });

    it('is still quarantined when nobody can be revoked (an anonymous read of a public store)', () => {
      const anonymous = alert(T.anonymousRead, null);
      const d = decide(anonymous, detectConfig(), { packs: PACKS, now });
      expect(d.actions.map((a) => a.kind)).toContain('quarantine-bucket');
    });

    it('rejects an unknown detect.quarantine value with the allowed ones', () => {
      expect(() => detectConfig({ quarantine: 'sometimes' })).toThrow(/quarantine.*spare-workloads.*always/s);
    });
  });

  it('never revokes for an IP-only principal: it escalates and says why', () => {
    const d = decide(alert(T.canaryToken, ipPrincipal('203.0.113.9', ACCOUNT)), detectConfig(), {
      packs: PACKS,
      now,
    });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate']);
    expect(d.reason).toMatch(/could not be resolved with certainty \(203\.0\.113\.9\)/);
  });

  it('never revokes or quarantines against a responder on a bulk read: humans judge', () => {
    const d = decide(alert(T.bulkRead, roleSession('ir-responder', 'r')), detectConfig(), {
      packs: PACKS,
      now,
    });
    expect(d.actions.map((a) => a.kind)).toEqual(['pin-objects', 'copy-evidence', 'escalate']);
  });

  it('ignores a rule alert with no confidence below minSeverity like any other alert', () => {
    const raw = detectorAlert({
      rule: 'new-external-peer',
      type: T.newExternalPeer,
      severity: 6,
      cloud: 'aws',
      account: ACCOUNT,
      principal: ipPrincipal('203.0.113.9', ACCOUNT),
      resources: [],
      observedAt: now.getTime(),
      subject: 'x',
      window: 0,
      title: 't',
      evidence: {},
    });
    const d = decide(raw, detectConfig(), {
      packs: PACKS,
      now,
    });
    expect(d).toMatchObject({ decision: 'ignore', reason: 'severity 6 is below minSeverity 7' });
  });
});
