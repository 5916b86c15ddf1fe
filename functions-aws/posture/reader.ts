import {
  BedrockClient,
  GetModelInvocationLoggingConfigurationCommand,
  paginateListEnforcedGuardrailsConfiguration,
  paginateListGuardrails,
} from '@aws-sdk/client-bedrock';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { EC2Client, paginateDescribeFlowLogs, paginateDescribeNetworkInterfaces } from '@aws-sdk/client-ec2';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand, GuardDutyClient, paginateListDetectors } from '@aws-sdk/client-guardduty';
import { IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import {
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import type { PerformRead } from '../../core/posture/collect.ts';
import type { Read, StoredError } from '../../core/posture/snapshot.ts';
import type { AwsPostureOperation } from '../../packs/aws/posture/operations.ts';
import { type LastAccessedOptions, serviceLastAccessed } from './service-last-accessed.ts';

/** The clients of one region (S3, S3 Control and IAM are global enough to come from any). */
export interface AwsPostureClients {
  s3: S3Client;
  s3control: S3ControlClient;
  cloudtrail: CloudTrailClient;
  ec2: EC2Client;
  bedrock: BedrockClient;
  guardduty: GuardDutyClient;
  events: EventBridgeClient;
  iam: IAMClient;
}

/** Builds the clients of a region once (the credential chain is the caller's: Lambda role or CLI user). */
export function postureClients(defaultRegion: string): (region?: string) => AwsPostureClients {
  const made = new Map<string, AwsPostureClients>();
  return (region = defaultRegion) => {
    let clients = made.get(region);
    if (!clients) {
      clients = {
        s3: new S3Client({ region, followRegionRedirects: true }),
        s3control: new S3ControlClient({ region }),
        cloudtrail: new CloudTrailClient({ region }),
        ec2: new EC2Client({ region }),
        bedrock: new BedrockClient({ region }),
        guardduty: new GuardDutyClient({ region }),
        events: new EventBridgeClient({ region }),
        iam: new IAMClient({ region }),
      };
      made.set(region, clients);
    }
    return clients;
  };
}

type Input = never;
const pages = async <T>(pager: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const page of pager) out.push(page);
  return out;
};

/** How each operation is called; `satisfies` makes the compiler hold it equal to the catalog. */
const CALLS = {
  's3:GetBucketLocation': (c, i) => c.s3.send(new GetBucketLocationCommand(i)),
  's3:GetBucketLogging': (c, i) => c.s3.send(new GetBucketLoggingCommand(i)),
  's3:GetBucketVersioning': (c, i) => c.s3.send(new GetBucketVersioningCommand(i)),
  's3:GetObjectLockConfiguration': (c, i) => c.s3.send(new GetObjectLockConfigurationCommand(i)),
  's3:GetPublicAccessBlock': (c, i) => c.s3.send(new GetPublicAccessBlockCommand(i)),
  's3:GetBucketPolicyStatus': (c, i) => c.s3.send(new GetBucketPolicyStatusCommand(i)),
  's3:GetBucketPolicy': (c, i) => c.s3.send(new GetBucketPolicyCommand(i)),
  's3control:GetPublicAccessBlock': (c, i) => c.s3control.send(new GetAccountPublicAccessBlockCommand(i)),
  'cloudtrail:DescribeTrails': (c, i) => c.cloudtrail.send(new DescribeTrailsCommand(i)),
  'cloudtrail:GetTrailStatus': (c, i) => c.cloudtrail.send(new GetTrailStatusCommand(i)),
  'cloudtrail:GetEventSelectors': (c, i) => c.cloudtrail.send(new GetEventSelectorsCommand(i)),
  'ec2:DescribeNetworkInterfaces': (c, i) => pages(paginateDescribeNetworkInterfaces({ client: c.ec2 }, i)),
  'ec2:DescribeFlowLogs': (c, i) => pages(paginateDescribeFlowLogs({ client: c.ec2 }, i)),
  'bedrock:GetModelInvocationLoggingConfiguration': (c, i) =>
    c.bedrock.send(new GetModelInvocationLoggingConfigurationCommand(i)),
  'bedrock:ListGuardrails': (c, i) => pages(paginateListGuardrails({ client: c.bedrock }, i)),
  'bedrock:ListEnforcedGuardrailsConfiguration': (c, i) =>
    pages(paginateListEnforcedGuardrailsConfiguration({ client: c.bedrock }, i)),
  'guardduty:ListDetectors': (c, i) => pages(paginateListDetectors({ client: c.guardduty }, i)),
  'guardduty:GetDetector': (c, i) => c.guardduty.send(new GetDetectorCommand(i)),
  'events:ListRules': (c, i) =>
    tokenPages((NextToken) => c.events.send(new ListRulesCommand({ ...(i as object), NextToken }))),
  'events:ListTargetsByRule': (c, i) =>
    tokenPages((NextToken) =>
      c.events.send(new ListTargetsByRuleCommand({ ...(i as object), NextToken } as never)),
    ),
  'iam:GetAccountAuthorizationDetails': (c, i) =>
    pages(paginateGetAccountAuthorizationDetails({ client: c.iam }, i)),
  'iam:GetServiceLastAccessedDetails': (c, i, o) => serviceLastAccessed(c.iam, i, o),
} satisfies Record<
  AwsPostureOperation,
  (clients: AwsPostureClients, input: Input, options: LastAccessedOptions) => Promise<unknown>
>;

/** EventBridge lists page with NextToken but the SDK has no paginator for them. */
async function tokenPages<T extends { NextToken?: string | undefined }>(
  send: (token: string | undefined) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await send(token);
    out.push(page);
    token = page.NextToken;
  } while (token && out.length < 100);
  return out;
}

/**
 * The live reader of a posture run on AWS: makes one read with the region's clients and returns what
 * the snapshot keeps — the output as JSON (dates as ISO text) without the SDK's `$metadata`, the
 * pages of a listing, or the error the service answered with (its name, HTTP status, message).
 */
export function awsPostureReader(
  clients: (region?: string) => AwsPostureClients,
  options: LastAccessedOptions = { pollMs: 1000, maxPolls: 30 },
): PerformRead {
  return async (read: Read) => {
    const call = CALLS[read.op as AwsPostureOperation] as
      | ((c: AwsPostureClients, i: Input, o: LastAccessedOptions) => Promise<unknown>)
      | undefined;
    if (!call) throw new Error(`no AWS posture reader for ${read.op}`);
    try {
      return stored(await call(clients(read.region), read.input as Input, options));
    } catch (error) {
      return storedError(error);
    }
  };
}

function stored(output: unknown): unknown {
  const strip = (v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const { $metadata: _drop, ...rest } = v as Record<string, unknown>;
      return rest;
    }
    return v;
  };
  const value = Array.isArray(output) ? output.map(strip) : strip(output);
  return JSON.parse(JSON.stringify(value ?? {}));
}

export function storedError(error: unknown): StoredError {
  const e = error as {
    name?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return {
    $error: {
      code: e.name && e.name !== 'Error' ? e.name : (e.Code ?? 'Error'),
      ...(e.$metadata?.httpStatusCode ? { status: e.$metadata.httpStatusCode } : {}),
      message: String(e.message ?? error).slice(0, 500),
    },
  };
}
