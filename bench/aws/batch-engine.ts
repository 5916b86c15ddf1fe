import type { Handlers, simulatedS3 } from '../../sim/aws/s3.ts';
import { s3Error } from '../../sim/aws/s3-rules.ts';
import { EVIDENCE } from './reference-account.ts';

/** One simulator call outside the timed clients (the engine's own work). */
function call(s3: ReturnType<typeof simulatedS3>, name: string, input: object) {
  const handler = s3.handlers[name];
  if (!handler) throw new Error(`the simulator does not implement ${name}`);
  return handler(input);
}

/**
 * S3 Batch Operations over the S3 simulator: CreateJob keeps the job (one per token, as S3 does),
 * `runAll` performs each job's operation on every manifest line and writes its completion report,
 * DescribeJob answers with the counts.
 */
export function batchEngine(s3: ReturnType<typeof simulatedS3>) {
  // biome-ignore lint/suspicious/noExplicitAny: the engine reads the CreateJob input as S3 does, by field.
  type Job = { id: string; input: Record<string, any>; status: string; done: number; failed: number };
  const jobs = new Map<string, Job>();
  const handlers: Handlers = {
    async CreateJobCommand(input) {
      const token = input.ClientRequestToken as string;
      const job = jobs.get(token) ?? {
        id: `job-${jobs.size + 1}`,
        input,
        status: 'Ready',
        done: 0,
        failed: 0,
      };
      jobs.set(token, job);
      return { JobId: job.id };
    },
    async DescribeJobCommand({ JobId }) {
      const job = [...jobs.values()].find((j) => j.id === JobId);
      if (!job) throw s3Error('NoSuchJob', 404);
      return {
        Job: {
          JobId,
          Status: job.status,
          Description: job.input.Description,
          ProgressSummary: {
            TotalNumberOfTasks: job.done + job.failed,
            NumberOfTasksSucceeded: job.done,
            NumberOfTasksFailed: job.failed,
          },
          Report: job.input.Report,
        },
      };
    },
  };
  return {
    handlers,
    async runAll(): Promise<string[]> {
      for (const job of jobs.values()) {
        const arn = job.input.Manifest.Location.ObjectArn as string;
        const [bucket, ...key] = arn.replace('arn:aws:s3:::', '').split('/');
        const body = (await call(s3, 'GetObjectCommand', { Bucket: bucket, Key: key.join('/') })) as {
          Body: { transformToString: () => Promise<string> };
        };
        for (const line of (await body.Body.transformToString()).split('\n').filter(Boolean)) {
          const [source, encoded, versionId] = line.split(',');
          const k = decodeURIComponent(encoded ?? '');
          try {
            if (job.input.Operation.S3PutObjectLegalHold)
              await call(s3, 'PutObjectLegalHoldCommand', {
                Bucket: source,
                Key: k,
                VersionId: versionId,
                LegalHold: { Status: 'ON' },
              });
            else
              await call(s3, 'CopyObjectCommand', {
                Bucket: EVIDENCE,
                Key: `${job.input.Operation.S3PutObjectCopy.TargetKeyPrefix}/${k}`,
                CopySource: `${source}/${encodeURIComponent(k)}?versionId=${versionId}`,
              });
            job.done++;
          } catch {
            job.failed++;
          }
        }
        job.status = 'Complete';
        await call(s3, 'PutObjectCommand', {
          Bucket: EVIDENCE,
          Key: `${job.input.Report.Prefix}/job-${job.id}/manifest.json`,
          Body: '{}',
        });
      }
      return [...jobs.values()].map((j) => j.id);
    },
  };
}
