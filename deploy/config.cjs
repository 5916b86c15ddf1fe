// Resolves the Tourniquet configuration for serverless.yml at package/deploy time:
//   ${file(./deploy/config.cjs):json}        the whole file, minified, for TOURNIQUET_CONFIG
//   ${file(./deploy/config.cjs):minSeverity} the GuardDuty rule's numeric severity filter
//   ${file(./deploy/config.cjs):assetBuckets} the CloudTrail rules' bucket filter
//   …Arns                                     resources of the least-privilege role
// The file is --config (serverless package --config FILE is not a serverless option, so use
// TOURNIQUET_CONFIG_FILE=FILE), else ./tourniquet.config.json, else the example.
// The function validates the configuration strictly at cold start and fails closed.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  const root = join(__dirname, '..');
  const file =
    process.env.TOURNIQUET_CONFIG_FILE ??
    (existsSync(join(root, 'tourniquet.config.json'))
      ? join(root, 'tourniquet.config.json')
      : join(root, 'examples/tourniquet.config.json'));
  const config = JSON.parse(readFileSync(file, 'utf8'));
  if (!config.aws) throw new Error(`${file} has no "aws" section: the AWS stack needs one`);
  const { $schema, ...rest } = config;
  const buckets = (config.aws.assets ?? []).map((a) => a.bucket);
  return {
    json: JSON.stringify(rest),
    minSeverity: typeof config.minSeverity === 'number' ? config.minSeverity : 7,
    assetBuckets: buckets.length ? buckets : ['no-asset-configured'],
    assetBucketArns: buckets.map((b) => `arn:aws:s3:::${b}`),
    assetObjectArns: buckets.map((b) => `arn:aws:s3:::${b}/*`),
    evidenceArns: [
      `arn:aws:s3:::${config.aws.evidenceBucket}`,
      `arn:aws:s3:::${config.aws.evidenceBucket}/*`,
    ],
    logBuckets: (config.aws.logBuckets ?? []).length ? config.aws.logBuckets : ['no-log-bucket-configured'],
    logObjectArns: (config.aws.logBuckets ?? []).length
      ? config.aws.logBuckets.map((b) => `arn:aws:s3:::${b}/*`)
      : ['arn:aws:s3:::no-log-bucket-configured/*'],
    escalationBus: config.aws.escalationBus ?? 'default',
    memberRoleName: config.aws.memberRoleName ?? 'tourniquet-member',
  };
};
