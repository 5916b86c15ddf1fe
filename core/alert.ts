/**
 * The normalized alert: what every event parser (AWS, Azure, detectors, manual) produces and the
 * only input the decision reads. Parsers validate at the edge; nothing inside re-checks shapes.
 *
 * Canonical ids:
 * - AWS principals: `arn:aws:iam::<account>:role/<name>`, `…:user/<name>`, `…:root`
 * - Azure principals: Entra object ids (GUIDs)
 * - AWS buckets `arn:aws:s3:::<bucket>`, objects `s3://<bucket>/<key>`
 * - Azure storage accounts and containers: ARM resource ids; blobs: blob URLs
 *
 * @example
 * const alert: Alert = {
 *   id: '5eb0…', dedupeKey: 'aws:guardduty:111122223333:us-east-1:5eb0…', cloud: 'aws',
 *   source: 'guardduty', type: 'Exfiltration:S3/AnomalousBehavior', severity: 8,
 *   observedAt: '2026-11-25T10:00:00Z', account: '111122223333', region: 'us-east-1',
 *   principal: { id: 'arn:aws:iam::111122223333:role/etl', kind: 'role', account: '111122223333',
 *                name: 'etl', aliases: [], certain: true },
 *   resources: [{ kind: 'bucket', id: 'arn:aws:s3:::models-prod' }], sample: false, context: {},
 * };
 */
export interface Alert {
  /** The source's own id: GuardDuty/Security Hub/Macie finding id, CloudTrail eventID, Azure alert id. */
  id: string;
  /** Identity of the underlying finding across deliveries and updates; one incident per key. */
  dedupeKey: string;
  cloud: Cloud;
  source: AlertSource;
  /** Source-specific type, e.g. `Exfiltration:S3/AnomalousBehavior`, `s3:GetObject`. */
  type: string;
  /** 0–10, the source's severity mapped onto GuardDuty's scale. */
  severity: number;
  /** ISO 8601 time the activity was observed. */
  observedAt: string;
  /** AWS account id or Azure subscription id where the activity happened. */
  account: string;
  region?: string;
  /** The actor to contain, or null when the alert names none. */
  principal: PrincipalRef | null;
  /**
   * Further actors, for findings that name a set of them at once (GuardDuty attack sequences). Each
   * is judged like `principal`: guarded, uncertain or unrevocable ones are escalated, not revoked.
   */
  actors?: PrincipalRef[];
  /**
   * Who acted, at the finest grain the source gives (issue 7 "Attribution"), beside `principal`,
   * which is what containment acts on: one session of a role (`session` = its `AROA…:<name>`
   * `aws:userid`), a SAS, a source IP, or an anonymous caller. Containment of a shared workload
   * role pins the session (packs/aws/deny-scope.ts); absent when the source names nobody finer.
   */
  actor?: AlertActor;
  /**
   * A finding that grows across updates under one id (an attack sequence gaining actors and
   * buckets). Each update is its own incident (`dedupeKey` holds the version); what an earlier
   * version already acted on is left out of the next one's plan (core/series.ts).
   */
  series?: AlertSeries;
  resources: ResourceRef[];
  /** Sample or test finding (GuardDuty `sample: true`, Security Hub/Defender samples). */
  sample: boolean;
  title?: string;
  /**
   * Detector findings only: how sure the correlation is (`high` alone may contain automatically,
   * `medium` escalates with evidence pinned, `low` is a signal only), the signals in words, and the
   * finest-grain actor (role session, end user, SAS hash, address) is `actor` above.
   */
  confidence?: 'low' | 'medium' | 'high';
  signals?: string[];
  /** Facts a playbook may weigh: e.g. `{ exposure: 'public' }`, `{ grantsAdmin: true }`, detector figures. */
  context: Record<string, unknown>;
}

export interface AlertActor {
  /** The session ARN, SAS signature hash, IP address, principal id, or `anonymous`. */
  id: string;
  kind: 'session' | 'user' | 'sas' | 'ip' | 'principal' | 'anonymous';
  /** For `session`: the `aws:userid` of the role session (`<role unique id>:<session name>`). */
  session?: string;
}

export interface AlertSeries {
  /** The finding's identity across updates (the GuardDuty finding's own key). */
  key: string;
  /** This update (GuardDuty `updatedAt`). */
  version: string;
}

export const CLOUDS = ['aws', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const ALERT_SOURCES = [
  'guardduty',
  'securityhub',
  'cloudtrail',
  'macie',
  'defender',
  'eventgrid',
  'monitor',
  'graph',
  'malware-scanning',
  'detector',
  'posture',
  'manual',
] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const PRINCIPAL_KINDS = [
  'user',
  'role',
  'root',
  'federated-user',
  'service-linked-role',
  'aws-service',
  'anonymous',
  'service-principal',
  'managed-identity',
  'entra-user',
  'unknown',
] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface PrincipalRef {
  /** Canonical id (see module doc). For `unknown` principals, the best identifier the source gave. */
  id: string;
  kind: PrincipalKind;
  /** Account or tenant/subscription the principal lives in. */
  account: string;
  name?: string;
  /** Every other identifier the source showed for the same actor. */
  aliases: PrincipalAlias[];
  /** The credential used, when the source names one (AWS access key id). */
  accessKeyId?: string;
  /**
   * False when the parser could not resolve the identity unambiguously (e.g. only an IP, a principal
   * id without a name). The decision never revokes an uncertain principal; it escalates.
   */
  certain: boolean;
}

export interface PrincipalAlias {
  type:
    | 'session-arn'
    | 'access-key-id'
    | 'principal-id'
    | 'user-name'
    | 'app-id'
    | 'upn'
    | 'ip'
    | 'sas'
    /** STS `SourceIdentity` of a role session (CloudTrail `sessionContext.sourceIdentity`). */
    | 'source-identity';
  value: string;
}

export const RESOURCE_KINDS = [
  'bucket',
  'object',
  'access-key',
  'storage-account',
  'container',
  'blob',
  // What answers inference: a Bedrock model, inference profile or SageMaker endpoint (by ARN) on
  // AWS, an Azure OpenAI / AI Foundry (Cognitive Services) account (by ARM id) on Azure.
  'model',
  'ai-account',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ResourceRef {
  kind: ResourceKind;
  /** Canonical id (see module doc); for `access-key`, the key id; for `model`, its ARN. */
  id: string;
  /** For `access-key`: the user that owns it; for objects/blobs: the bucket/container id. */
  parent?: string;
  /** Account or subscription that holds the resource, when it differs from the alert's. */
  account?: string;
}
