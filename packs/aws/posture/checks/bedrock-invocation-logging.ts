import { fail, type PostureCheck, pass } from '../../../../core/posture/check.ts';
import { awsRead } from '../operations.ts';
import { logBuckets, regions } from '../subjects.ts';

interface LoggingAnswer {
  loggingConfig?: {
    s3Config?: { bucketName?: string; keyPrefix?: string };
    cloudWatchConfig?: { logGroupName?: string };
    textDataDeliveryEnabled?: boolean;
  };
}

/** Bedrock model invocation logs, with the prompt and response text, in S3 where the scan reads. */
export const bedrockInvocationLogging: PostureCheck = {
  id: 'aws.bedrock-invocation-logging',
  cloud: 'aws',
  title: 'Bedrock model invocation logging (text) into a log bucket Tourniquet reads',
  why: 'the model-extraction, prompt-injection, canary-token and secret-in-output detectors read Bedrock invocation logs; without text delivery they see no prompt or answer',
  severity: 7,
  operations: ['bedrock:GetModelInvocationLoggingConfiguration'],
  subjects: regions,
  reads: (s) => [awsRead('bedrock:GetModelInvocationLoggingConfiguration', s.id, {}, s.id)],
  evaluate(s, ctx) {
    const bucket = logBuckets(ctx)[0] ?? '<a bucket in aws.logBuckets>';
    const fix = `aws bedrock put-model-invocation-logging-configuration --region ${s.id} --logging-config '{"s3Config":{"bucketName":"${bucket}","keyPrefix":"bedrock/"},"textDataDeliveryEnabled":true}'`;
    const config = ctx.view.value<LoggingAnswer>(
      'bedrock:GetModelInvocationLoggingConfiguration',
      s.id,
    ).loggingConfig;
    if (!config) return fail(`model invocation logging is off in ${s.id}`, fix);
    const to = config.s3Config?.bucketName;
    const problems = [
      ...(config.textDataDeliveryEnabled ? [] : ['text delivery is off']),
      ...(!to
        ? [
            `logs go to CloudWatch Logs only (${config.cloudWatchConfig?.logGroupName ?? '?'}): the scan reads S3`,
          ]
        : logBuckets(ctx).includes(to)
          ? []
          : [`logs go to ${to}, which is not in aws.logBuckets`]),
    ];
    if (problems.length) return fail(problems.join('; '), fix);
    return pass(`invocations with text are logged to ${to}/${config.s3Config?.keyPrefix ?? ''}`);
  },
};
