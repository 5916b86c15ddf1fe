/**
 * The alert types detectors raise, GuardDuty-style (`<tactic>:<resource>/<what>`); the detector
 * playbooks (core/playbooks/detect.ts) match on them.
 */
export const DETECTOR_ALERT_TYPES = {
  bulkRead: 'Exfiltration:ModelWeights/BulkRead',
  firstReader: 'Discovery:ModelWeights/FirstReader',
  unexpectedNetwork: 'Exfiltration:ModelWeights/UnexpectedNetwork',
  artifactModified: 'Impact:ModelArtifact/Modified',
  bulkDelete: 'Impact:ModelWeights/BulkDelete',
  artifactCopied: 'Exfiltration:ModelArtifact/Copied',
  egressVolume: 'Exfiltration:Inference/EgressVolume',
  newExternalPeer: 'Exfiltration:Inference/NewExternalPeer',
  requestRate: 'Exfiltration:Inference/RequestRate',
  variedPrompts: 'Exfiltration:Inference/VariedPrompts',
  extractionPrompts: 'Exfiltration:Inference/ExtractionPrompts',
  promptInjection: 'InitialAccess:Inference/PromptInjection',
  canaryToken: 'Exfiltration:Inference/CanaryToken',
  secretOutput: 'Exfiltration:Inference/SecretInOutput',
  anonymousRead: 'Exfiltration:Storage/AnonymousRead',
  aboveOwnBaseline: 'Exfiltration:ModelWeights/AboveOwnBaseline',
  newNetwork: 'Discovery:ModelWeights/NewNetwork',
  unusualHours: 'Discovery:ModelWeights/UnusualHours',
} as const;

export type DetectorAlertType = (typeof DETECTOR_ALERT_TYPES)[keyof typeof DETECTOR_ALERT_TYPES];
