import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { knownReaderPatterns } from '../../core/detect/known-readers.ts';
import type { Playbook } from '../../core/playbooks/playbook.ts';
import { matchesAny } from '../../core/principal-match.ts';
import { alertAssetBuckets } from './assets.ts';
import { aiPlaybooks, knownIdentity } from './playbooks-ai.ts';

const noAssetNamed = (alert: Alert, config: Config) =>
  alertAssetBuckets(alert, config).length ? undefined : 'names no protected asset bucket';

/**
 * AWS playbooks: GuardDuty and Security Hub finding types as AWS names them, Macie finding types,
 * and CloudTrail events as `<service>:<EventName>` with the facts the parser derived in `context`.
 */
export const awsPlaybooks: readonly Playbook[] = [
  ...aiPlaybooks,
  {
    id: 'aws-attack-sequence-data',
    description:
      'A GuardDuty attack sequence on S3 data: every actor it names is revoked and every protected bucket closed',
    sources: ['guardduty'],
    types: ['AttackSequence:S3/*'],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'aws-attack-sequence-credentials',
    description:
      'A GuardDuty attack sequence of compromised IAM credentials: every actor it names is revoked',
    sources: ['guardduty'],
    types: ['AttackSequence:IAM/*'],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'aws-s3-exfiltration',
    description: 'Data read out of S3 anomalously, from a malicious or Tor address, or destroyed',
    sources: ['guardduty', 'securityhub'],
    types: [
      'Exfiltration:S3/*',
      'UnauthorizedAccess:S3/*',
      'Impact:S3/*',
      'PenTest:S3/*',
      '*Data Exfiltration*',
    ],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'aws-credential-compromise',
    description: 'IAM credentials used anomalously or from outside AWS',
    sources: ['guardduty', 'securityhub'],
    types: [
      'CredentialAccess:IAMUser/*',
      'UnauthorizedAccess:IAMUser/*',
      'Exfiltration:IAMUser/*',
      'Persistence:IAMUser/*',
      'PrivilegeEscalation:IAMUser/*',
      'Impact:IAMUser/*',
      'InitialAccess:IAMUser/*',
      'Discovery:S3/*',
      'Discovery:IAMUser/*',
      'Stealth:IAMUser/*',
      'PenTest:IAMUser/*',
    ],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'aws-bucket-exposed',
    description: 'A protected bucket was made public or its public access block was disabled',
    sources: ['guardduty', 'securityhub', 'macie'],
    // Macie policy types by name: `Policy:IAMUser/S3BucketEncryptionDisabled` is not an exposure.
    types: [
      'Policy:S3/*',
      'Policy:IAMUser/S3BucketPublic',
      'Policy:IAMUser/S3BlockPublicAccessDisabled',
      'Policy:IAMUser/S3BucketSharedExternally',
      'Policy:IAMUser/S3BucketReplicatedExternally',
      'Policy:IAMUser/S3BucketSharedWithCloudFront',
    ],
    intents: ['contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'escalate',
    benign: noAssetNamed,
  },
  {
    id: 'aws-logging-tampered',
    description: 'S3 server access logging disabled on a bucket',
    sources: ['guardduty', 'securityhub'],
    types: ['Stealth:S3/*'],
    intents: ['preserve-evidence', 'escalate'],
    onResponder: 'escalate',
  },
  {
    id: 'aws-sensitive-data',
    description: 'Macie found sensitive data; humans judge whether it belongs there',
    sources: ['macie'],
    types: ['SensitiveData:*'],
    intents: ['escalate'],
    onResponder: 'escalate',
    benign: noAssetNamed,
  },
  {
    id: 'aws-anonymous-read',
    description:
      'An unauthenticated (anonymous) caller read a protected asset: the bucket is public; it is closed, with no principal to revoke',
    sources: ['cloudtrail'],
    // CloudTrail logs an anonymous S3 request with `userIdentity` {type AWSAccount, accountId anonymous}.
    types: ['s3:GetObject'],
    when: (alert) => alert.principal?.kind === 'anonymous',
    intents: ['contain-resources', 'preserve-evidence', 'copy-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: noAssetNamed,
  },
  {
    id: 'aws-unknown-reader',
    description: 'A principal outside detect.knownReaders read a protected asset (CloudTrail data event)',
    sources: ['cloudtrail'],
    types: ['s3:GetObject'],
    intents: ['revoke-principal', 'preserve-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) => {
      if (config.detect.knownReaders.length === 0)
        return 'no detect.knownReaders configured: reads cannot be judged';
      if (alert.principal && matchesAny(knownReaderPatterns(config), alert.principal))
        return 'a known reader';
      return noAssetNamed(alert, config);
    },
  },
  {
    id: 'aws-bucket-opened',
    description: 'A protected bucket policy, ACL or public access block changed to allow wider access',
    sources: ['cloudtrail'],
    types: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:DeletePublicAccessBlock'],
    intents: ['revoke-principal', 'contain-resources', 'preserve-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) =>
      alert.context.exposure === 'none'
        ? 'the change grants no public or cross-account access'
        : noAssetNamed(alert, config),
  },
  {
    id: 'aws-versioning-suspended',
    description: 'Versioning suspended on a protected bucket: older versions may be deleted next',
    sources: ['cloudtrail'],
    types: ['s3:PutBucketVersioning'],
    intents: ['revoke-principal', 'preserve-evidence', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) =>
      alert.context.versioning !== 'Suspended' ? 'versioning was not suspended' : noAssetNamed(alert, config),
  },
  {
    id: 'aws-access-key-for-another-user',
    description: 'An access key created for a different user (persistence)',
    sources: ['cloudtrail'],
    types: ['iam:CreateAccessKey'],
    intents: ['revoke-principal', 'contain-resources', 'escalate'],
    onResponder: 'ignore',
    benign: (alert) =>
      alert.context.selfService === true ? 'a user created a key for themselves' : undefined,
  },
  {
    id: 'aws-admin-granted',
    description: 'An administrator-equivalent policy attached or written to a user or role',
    sources: ['cloudtrail'],
    types: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:PutRolePolicy', 'iam:PutUserPolicy'],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'ignore',
    benign: (alert) =>
      alert.context.grantsAdmin === true ? undefined : 'the policy does not grant administrator access',
  },
  {
    id: 'aws-trust-backdoored',
    description:
      'A role trust policy rewritten to let another account, an identity provider or anyone assume it',
    sources: ['cloudtrail'],
    types: ['iam:UpdateAssumeRolePolicy'],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) =>
      alert.context.trustExposure === 'none'
        ? 'the new trust policy trusts nothing outside the account'
        : knownIdentity(alert, config),
  },
  {
    id: 'aws-console-access-added',
    description: 'A console password created or changed for another IAM user (persistence, or a takeover)',
    sources: ['cloudtrail'],
    types: ['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'],
    intents: ['revoke-principal', 'escalate'],
    onResponder: 'ignore',
    benign: (alert, config) =>
      alert.context.selfService === true ? 'a user changed their own password' : knownIdentity(alert, config),
  },
];
