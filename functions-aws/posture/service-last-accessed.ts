import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';

export interface LastAccessedOptions {
  /** Wait between polls of the job (IAM completes most within seconds). */
  pollMs: number;
  maxPolls: number;
}

/**
 * IAM service last-accessed data of one principal, with action-level detail where IAM tracks it
 * (S3 management actions; IAM User Guide, access_policies_last-accessed): starts the job
 * (`GenerateServiceLastAccessedDetails`, ACTION_LEVEL), polls `GetServiceLastAccessedDetails` until
 * it is done, and returns every page of the result.
 */
export async function serviceLastAccessed(
  iam: IAMClient,
  input: { Arn: string },
  options: LastAccessedOptions = { pollMs: 1000, maxPolls: 30 },
): Promise<GetServiceLastAccessedDetailsCommandOutput[]> {
  const { JobId } = await iam.send(
    new GenerateServiceLastAccessedDetailsCommand({ Arn: input.Arn, Granularity: 'ACTION_LEVEL' }),
  );
  if (!JobId) throw new Error(`IAM started no last-accessed job for ${input.Arn}`);
  for (let poll = 0; ; poll++) {
    const first = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    if (first.JobStatus !== 'IN_PROGRESS') {
      const pages = [first];
      let marker = first.IsTruncated ? first.Marker : undefined;
      while (marker && pages.length < 50) {
        const next = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, Marker: marker }));
        pages.push(next);
        marker = next.IsTruncated ? next.Marker : undefined;
      }
      return pages;
    }
    if (poll + 1 >= options.maxPolls)
      throw Object.assign(
        new Error(`IAM last-accessed job ${JobId} still running after ${options.maxPolls} polls`),
        {
          name: 'JobStillRunning',
        },
      );
    await new Promise((r) => setTimeout(r, options.pollMs));
  }
}
