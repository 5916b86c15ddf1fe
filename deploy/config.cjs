// Resolves the Tourniquet configuration for serverless.yml at package/deploy time:
//   ${file(./deploy/config.cjs):json}          the whole file, minified, for TOURNIQUET_CONFIG
//   ${file(./deploy/config.cjs):minSeverity}   the GuardDuty rule's numeric severity filter
//   ${file(./deploy/config.cjs):typeRoutedFindingTypes}  the types let through below it (AI Protection,
//                                              minSeverityByType)
//   ${file(./deploy/config.cjs):assetBuckets}  the CloudTrail rules' bucket filter
//   …Arns, escalationBusArn                    resources of the least-privilege role
//   guardedIamArns                             responders and break-glass: denied to the role itself
//   subscriptions, escalationTargets,          who hears of escalations and of the dead-letter alarm
//   alarmActions, escalationBusName            (aws.notify; docs/notifications.md)
//   permissionsBoundary                        the function role's boundary (aws.permissionsBoundary)
//   postureBucketArns                          asset and evidence buckets the posture checks read
// The file is TOURNIQUET_CONFIG_FILE, else ./tourniquet.config.json, else the example — which is
// then packaged in dry-run mode, so a stack deployed without a configuration of its own changes
// nothing. The function validates the configuration strictly at cold start and fails closed.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const or = (list, placeholder) => (list.length ? list : [placeholder]);

// GuardDuty AI Protection types: rated Low, so the playbooks give them a threshold of their own
// (packs/aws/playbooks-ai.ts; test/meta/aws-permissions.test.ts holds this list equal to them).
const AI_PROTECTION_TYPES = [
  'Impact:IAMUser/AnomalousModelInvocation',
  'Impact:IAMUser/CostHarvesting',
  'Impact:IAMUser/PromptInjection.Direct',
];

/** EventBridge pattern values for finding types: exact strings, `*` patterns as `{ wildcard }`. */
const typeMatchers = (types) =>
  [...new Set(types)].sort().map((t) => (t.includes('*') ? { wildcard: t } : t));

module.exports = async () => {
  const root = join(__dirname, '..');
  const own = process.env.TOURNIQUET_CONFIG_FILE ?? join(root, 'tourniquet.config.json');
  const example = !existsSync(own);
  const file = example ? join(root, 'examples/tourniquet.config.json') : own;
  const { $schema: _schema, ...config } = JSON.parse(readFileSync(file, 'utf8'));
  if (example) {
    config.mode = 'dry-run';
    console.warn(
      `tourniquet: no ${own}; packaging the example configuration in dry-run mode (nothing will change)`,
    );
  }
  if (!config.aws) throw new Error(`${file} has no "aws" section: the AWS stack needs one`);
  const aws = config.aws;
  const buckets = (aws.assets ?? []).map((a) => a.bucket);
  const logBuckets = aws.logBuckets ?? [];
  const bus = aws.escalationBus ?? 'default';
  const minSeverity = typeof config.minSeverity === 'number' ? config.minSeverity : 7;
  // Types whose threshold is below minSeverity: the typed GuardDuty rule lets them through.
  const lowered = Object.entries(config.minSeverityByType ?? {})
    .filter(([, threshold]) => threshold < minSeverity)
    .map(([type]) => type);
  const guarded = [...aws.responders, ...(aws.protectedPrincipals ?? [])]
    .map((p) => p.replace(/^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2'))
    .filter((p) => /^arn:aws:iam::\d{12}:(role|user)\//.test(p))
    // A path-less ARN also names the principal under any path (names cannot contain "/").
    .flatMap((p) => (/:(role|user)\/[^/]+$/.test(p) ? [p, p.replace(/:(role|user)\//, ':$1/*/')] : [p]));
  const notify = { emails: [], https: [], topicArns: [], ...aws.notify };
  return {
    json: JSON.stringify(config),
    ...notifications(notify, bus),
    minSeverity,
    typeRoutedFindingTypes: typeMatchers([...AI_PROTECTION_TYPES, ...lowered]),
    assetBuckets: or(buckets, 'no-asset-configured'),
    assetBucketArns: or(buckets, 'no-asset-configured').map((b) => `arn:aws:s3:::${b}`),
    assetObjectArns: or(buckets, 'no-asset-configured').map((b) => `arn:aws:s3:::${b}/*`),
    evidenceArns: [`arn:aws:s3:::${aws.evidenceBucket}`, `arn:aws:s3:::${aws.evidenceBucket}/*`],
    evidenceBucketArn: `arn:aws:s3:::${aws.evidenceBucket}`,
    // What the findings function reads (the journals) and writes (its marks of published seals).
    evidenceJournalArns: [
      `arn:aws:s3:::${aws.evidenceBucket}/incidents/*/journal/*`,
      `arn:aws:s3:::${aws.evidenceBucket}/incidents/*/findings/*`,
    ],
    evidenceFindingMarkArn: `arn:aws:s3:::${aws.evidenceBucket}/incidents/*/findings/*`,
    postureBucketArns: [...buckets, aws.evidenceBucket].map((b) => `arn:aws:s3:::${b}`),
    logBuckets: or(logBuckets, 'no-log-bucket-configured'),
    logObjectArns: or(logBuckets, 'no-log-bucket-configured').map((b) => `arn:aws:s3:::${b}/*`),
    escalationBusArn: bus.startsWith('arn:')
      ? bus
      : { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${bus}` },
    guardedIamArns: or(guarded, 'arn:aws:iam::000000000000:role/no-guarded-principal'),
    memberRoleName: aws.memberRoleName ?? 'tourniquet-member',
    permissionsBoundary: aws.permissionsBoundary ?? { Ref: 'AWS::NoValue' },
  };
};

/**
 * The subscriptions of the humans and alarms topics, the escalation rule's targets and the alarm's
 * actions, from aws.notify. Every escalation target is retried for 24 h and then dead-lettered, and
 * turns the event into the lines a phone reads (one per field of detail.message).
 */
function notifications(notify, bus) {
  const subscriptions = [
    ...notify.emails.map((Endpoint) => ({ Protocol: 'email', Endpoint })),
    ...notify.https.map((Endpoint) => ({ Protocol: 'https', Endpoint })),
  ];
  const fields = ['subject', 'what', 'done', 'notDone', 'act', 'pack'];
  const target = (Id, Arn) => ({
    Id,
    Arn,
    RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } },
    InputTransformer: {
      InputPathsMap: Object.fromEntries(fields.map((f) => [f, `$.detail.message.${f}`])),
      InputTemplate: fields.map((f) => `<${f}>`).join('\n'),
    },
  });
  return {
    subscriptions,
    escalationTargets: [
      target('humans', { Ref: 'HumansTopic' }),
      ...notify.topicArns.map((arn, i) => target(`topic${i + 1}`, arn)),
    ],
    alarmActions: [{ Ref: 'AlarmsTopic' }, ...notify.topicArns],
    // A rule lives on one bus: the one the functions send escalations to (name or ARN).
    escalationBusName: bus,
  };
}
