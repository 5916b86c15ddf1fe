import { DETECTOR_ALERT_TYPES as T } from '../detect/alert-types.ts';
import type { Playbook } from './playbook.ts';

/**
 * Playbooks for Tourniquet's own detectors (core/detect). Revocation only follows where the
 * figures are proof of harm on their own (bulk weight reads, tampering, copies, canaries and
 * secrets in output, extraction campaigns); the decision still escalates instead whenever the
 * principal is an IP, a SAS or otherwise uncertain. Weak signals only tell humans.
 */
export const detectPlaybooks: readonly Playbook[] = [
  {
    id: 'detect-weights-bulk-read',
    description: 'Model weights read in bulk by one principal, above its threshold',
    sources: ['detector'],
    types: [T.bulkRead],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-weights-unexpected-network',
    description: 'Model weights read from outside the expected networks',
    sources: ['detector'],
    types: [T.unexpectedNetwork],
    intents: ['revoke-principal', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-weights-own-baseline',
    description:
      "Model weights read unlike the actor's own learned windows: far more, from a network it never used, at hours it does not work",
    sources: ['detector'],
    types: [T.aboveOwnBaseline, T.newNetwork, T.unusualHours],
    intents: ['escalate'],
    onResponder: 'ignore',
  },
  {
    id: 'detect-anonymous-read',
    description:
      'A protected asset was read with no credentials at all: the store is public; it is closed, with no principal to revoke',
    sources: ['detector'],
    types: [T.anonymousRead],
    intents: ['contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-weights-first-reader',
    description: 'A principal read model weights for the first time',
    sources: ['detector'],
    types: [T.firstReader],
    intents: ['preserve-evidence', 'escalate'],
    onResponder: 'ignore',
  },
  {
    id: 'detect-artifact-tampered',
    description: 'An approved model artifact was overwritten or deleted',
    sources: ['detector'],
    types: [T.artifactModified],
    intents: ['revoke-principal', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-weights-bulk-delete',
    description: 'Model weights or approved artifacts deleted in bulk by one actor',
    sources: ['detector'],
    types: [T.bulkDelete],
    intents: ['revoke-principal', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-artifact-copied',
    description: 'A copy of an approved model artifact appeared outside the approved stores',
    sources: ['detector'],
    types: [T.artifactCopied],
    intents: ['revoke-principal', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-inference-leak',
    description: 'Proprietary data left through the inference API (canary token or secret in a response)',
    sources: ['detector'],
    types: [T.canaryToken, T.secretOutput],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-model-extraction',
    description: 'A caller probing the model for its training data or behaviour (extraction campaign)',
    sources: ['detector'],
    types: [T.extractionPrompts, T.variedPrompts],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'detect-inference-anomaly',
    description:
      'Unusual inference traffic: request rate, egress volume, a new external peer, prompt injection',
    sources: ['detector'],
    types: [T.requestRate, T.egressVolume, T.newExternalPeer, T.promptInjection],
    intents: ['escalate'],
    onResponder: 'ignore',
  },
];
