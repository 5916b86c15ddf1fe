import type { Playbook } from './playbook.ts';

/**
 * A posture check that passed on the previous run and fails now (logging switched off on a weights
 * bucket, a diagnostic setting removed, Defender turned off) is a leak precursor: humans are told.
 * Nothing is revoked or quarantined on it: the alert names no actor, only what changed.
 */
export const posturePlaybooks: readonly Playbook[] = [
  {
    id: 'posture-regression',
    description: 'A posture check that used to pass fails now (telemetry or evidence readiness lost)',
    sources: ['posture'],
    types: ['Posture:*'],
    intents: ['escalate'],
    onResponder: 'ignore',
  },
];
