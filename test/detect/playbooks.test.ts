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
    [T.bulkRead, ['revoke-role-sessions', 'quarantine-bucket', 'pin-objects', 'copy-evidence', 'escalate']],
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
