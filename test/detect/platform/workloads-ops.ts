/**
 * A second, independent set of benign workloads for the platform day, written by a reviewer of the
 * rules rather than their authors: the heavy legitimate users a platform's operations team runs
 * beside the serving fleet (workloads.ts). Each is aimed at the edge of a rule: AWS services reading
 * with a role on the caller's behalf (CloudTrail `invokedBy`, `sourceIPAddress` the service's DNS
 * name), ranged reads counted as objects, a failover from new addresses, sweeps of one prompt,
 * red-team suites, pasted logs. Shapes follow the CloudTrail userIdentity element, the S3 server
 * access log, Bedrock invocation logs and StorageBlobLogs (the emitters cite them); where the
 * service's session naming is not documented it is marked as assumed.
 *
 * This file holds the AWS storage and network users and composes the day; the inference users are
 * in workloads-ops-inference.ts, the Azure storage users in workloads-ops-azure.ts.
 */
import type { Prng } from '../traffic/prng.ts';
import { type DayLog, inHour } from './day.ts';
import { type AwsIdentity, roleArn, sessionArn } from './emit-aws.ts';
import {
  ARCHIVE_BUCKET,
  ARCHIVE_SHARDS,
  AWS_ENDPOINT_IP,
  AWS_ENI,
  SHARD_BYTES,
  SHARDS,
  SMALL_FILES,
  VPCE,
  WEIGHTS_BUCKET,
} from './workloads.ts';
import { azureOps } from './workloads-ops-azure.ts';
import { inferenceHeavy, watermarkProofread } from './workloads-ops-inference.ts';

const MIN = 60_000;
const MiB = 1024 ** 2;

export const BACKUP_ROLE = 'AWSBackupDefaultServiceRole';
export const DATASYNC_ROLE = 'datasync-models-role';
export const ENDPOINT_ROLE = 'sagemaker-endpoint-role';
export const NOTEBOOK_ROLE = 'ds-notebook-role';
/** The DR region's NAT gateway addresses (us-west-2): cross-region S3 reads come from them, not a VPC endpoint. */
export const DR_NAT = '44.230.17.0/28';
/** The corporate VPN: people, not workloads, read from it. */
export const VPN = '10.50.0.0/16';
/** A LoRA adapter of the production model: one object, a few hundred MB. */
export const ADAPTER = 'weights/adapters/support-lora-v3/adapter_model.safetensors';
export const ADAPTER_BYTES = 320_000_000;

/** Ranged GETs of `chunk` bytes (boto3's TransferConfig reads 8 MiB parts, 10 at a time). */
function rangedReads(
  log: DayLog,
  start: number,
  who: AwsIdentity,
  keys: readonly string[],
  size: number,
  chunk: number,
  net: { ip: string; vpce?: string },
  via: 'cloudtrail' | 's3-access' = 'cloudtrail',
): number {
  let t = start;
  for (const key of keys)
    for (let off = 0; off < size; off += chunk) {
      const bytes = Math.min(chunk, size - off);
      log.s3({ at: t, who, op: 'GetObject', bucket: WEIGHTS_BUCKET, keys: [key], bytes, ...net }, via);
      t += Math.round(((bytes / 1.2e9) * 1000) / 10);
    }
  return t;
}

/**
 * AWS Backup for S3 and DataSync read every shard with their service roles. CloudTrail logs such
 * calls with the role's session and `invokedBy` / `sourceIPAddress` set to the service's DNS name
 * (CloudTrail userIdentity element): there is no client address and no VPC endpoint. The session
 * names are what the services set (AWS Backup: `AWSBackup-<role>`; DataSync: assumed).
 */
function serviceCopies(log: DayLog): void {
  const rng = log.rng;
  const jobs = [
    {
      role: BACKUP_ROLE,
      session: `AWSBackup-${BACKUP_ROLE}`,
      service: 'backup.amazonaws.com',
      hour: 1,
      what: 'AWS Backup nightly backup of the weights bucket (service role)',
    },
    {
      role: DATASYNC_ROLE,
      session: `AWS-DataSync-task-0${hex(rng, 16)}`,
      service: 'datasync.amazonaws.com',
      hour: 3,
      what: 'DataSync task copying the weights to the DR region (service role)',
    },
  ];
  for (const j of jobs) {
    const who: AwsIdentity = { type: 'role', role: j.role, session: j.session, invokedBy: j.service };
    log.actor({
      actor: sessionArn(j.role, j.session),
      principal: roleArn(j.role),
      cloud: 'aws',
      what: j.what,
    });
    rangedReads(log, inHour(rng, j.hour), who, SHARDS, SHARD_BYTES, log.rangeBytes, { ip: j.service });
  }
}

/** Athena (forward access sessions: the analyst's own session, `invokedBy` athena) and a Glue crawler. */
function analytics(log: DayLog): void {
  const rng = log.rng;
  const analyst: AwsIdentity = {
    type: 'role',
    role: 'analytics-role',
    session: 'jdoe@example.com',
    invokedBy: 'athena.amazonaws.com',
  };
  log.actor({
    actor: sessionArn('analytics-role', 'jdoe@example.com'),
    principal: roleArn('analytics-role'),
    cloud: 'aws',
    what: 'Athena queries over the training data (analyst, via Athena)',
  });
  const crawler: AwsIdentity = { type: 'role', role: 'AWSGlueServiceRole-training', session: 'AWS-Crawler' };
  log.actor({
    actor: sessionArn('AWSGlueServiceRole-training', 'AWS-Crawler'),
    principal: roleArn('AWSGlueServiceRole-training'),
    cloud: 'aws',
    what: 'Glue crawler over the training data and the model configs',
  });
  const parts = Array.from(
    { length: 400 },
    (_, i) => `datasets/support-v3/part-${String(i).padStart(5, '0')}.parquet`,
  );
  for (let q = 0; q < 6; q++) {
    let t = inHour(rng, rng.int(8, 18));
    for (const key of parts) {
      log.s3({
        at: t,
        who: analyst,
        op: 'GetObject',
        bucket: 'training-data',
        keys: [key],
        bytes: 480_000_000,
        ip: 'athena.amazonaws.com',
      });
      t += rng.int(20, 200);
    }
  }
  let t = inHour(rng, 4);
  for (const key of [...parts, ...SMALL_FILES]) {
    const bucket = key.startsWith('weights/') ? WEIGHTS_BUCKET : 'training-data';
    // The crawler reads each file's head to infer its schema.
    log.s3({
      at: t,
      who: crawler,
      op: 'GetObject',
      bucket,
      keys: [key],
      bytes: 65_536,
      ip: `10.20.14.${rng.int(10, 90)}`,
      vpce: VPCE,
    });
    t += rng.int(50, 400);
  }
}

/**
 * A DR failover afternoon: the serving fleet scales out in us-west-2, every instance reading the
 * model across regions through the DR NAT (no VPC endpoint serves another region's bucket), and a
 * SageMaker endpoint created there pulls the model from the registry bucket.
 */
function drFailover(log: DayLog): void {
  const rng = log.rng;
  const nat = (i: number) => `44.230.17.${(i % 12) + 2}`;
  for (let i = 0; i < rng.int(8, 12); i++) {
    const session = `i-0${hex(rng, 16)}`;
    log.actor({
      actor: sessionArn('llm-inference-role', session),
      principal: roleArn('llm-inference-role'),
      cloud: 'aws',
      what: 'DR failover: inference instance in us-west-2 loading the model across regions',
    });
    const who: AwsIdentity = { type: 'role', role: 'llm-inference-role', session };
    rangedReads(log, inHour(rng, rng.int(15, 16)), who, SHARDS, SHARD_BYTES, log.rangeBytes, { ip: nat(i) });
  }
  log.actor({
    actor: sessionArn(ENDPOINT_ROLE, 'SageMaker'),
    principal: roleArn(ENDPOINT_ROLE),
    cloud: 'aws',
    what: 'SageMaker endpoint created in us-west-2 pulling the model from the registry',
  });
  rangedReads(
    log,
    inHour(rng, 15),
    { type: 'role', role: ENDPOINT_ROLE, session: 'SageMaker' },
    SHARDS,
    SHARD_BYTES,
    log.rangeBytes,
    {
      ip: nat(rng.int(0, 11)),
    },
  );
}

/**
 * A data scientist's notebook, from the corporate VPN at night: the model's configs and ONE LoRA
 * adapter (320 MB), read with boto3's default 8 MiB ranged parts (40 GetObject calls).
 */
function notebook(log: DayLog): void {
  const rng = log.rng;
  const session = 'asmith@example.com';
  const who: AwsIdentity = { type: 'role', role: NOTEBOOK_ROLE, session };
  log.actor({
    actor: sessionArn(NOTEBOOK_ROLE, session),
    principal: roleArn(NOTEBOOK_ROLE),
    cloud: 'aws',
    what: 'data scientist notebook on the VPN reading one adapter at night',
  });
  const ip = `10.50.3.${rng.int(10, 250)}`;
  const at = inHour(rng, 23) - rng.int(0, 20) * MIN;
  for (const key of SMALL_FILES)
    log.s3({ at, who, op: 'GetObject', bucket: WEIGHTS_BUCKET, keys: [key], bytes: 40_000, ip });
  rangedReads(log, at + 5000, who, [ADAPTER], ADAPTER_BYTES, 8 * MiB, { ip });
}

/**
 * The retention job: a Lambda outside any VPC (calls S3 from AWS public addresses) deletes last
 * quarter's archived checkpoints with DeleteObjects; S3 access logs name every key.
 */
function retention(log: DayLog): void {
  const rng = log.rng;
  const who: AwsIdentity = { type: 'role', role: 'archive-retention-lambda', session: 'archive-retention' };
  log.actor({
    actor: sessionArn('archive-retention-lambda', 'archive-retention'),
    principal: roleArn('archive-retention-lambda'),
    cloud: 'aws',
    what: "retention Lambda (no VPC) deleting last quarter's archived checkpoints",
  });
  const keys = ARCHIVE_SHARDS.map((k) => k.replace('2026-09', '2026-06'));
  log.s3(
    {
      at: inHour(rng, 4),
      who,
      op: 'DeleteObjects',
      bucket: ARCHIVE_BUCKET,
      keys,
      bytes: 4_000_000_000,
      ip: `3.80.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    },
    's3-access',
  );
}

/**
 * A partner onboarded today pulls its first embedding export (a few GB) from the inference
 * endpoint over the internet: a new external peer far above every earlier one, legitimately.
 */
function partnerOnboarding(log: DayLog): void {
  const rng = log.rng;
  const peer = `198.18.${rng.int(1, 250)}.${rng.int(1, 250)}`;
  log.actor({
    actor: peer,
    principal: peer,
    cloud: 'aws',
    what: 'partner onboarded today pulling its first embedding export',
  });
  let t = inHour(rng, 16);
  for (let i = 0; i < 4; i++) {
    log.vpcFlow({
      at: t,
      eni: AWS_ENI,
      src: AWS_ENDPOINT_IP,
      dst: peer,
      srcPort: 443,
      dstPort: 53_000 + i,
      bytes: Math.round(rng.logNormal(600e6, 0.3)),
      direction: 'egress',
    });
    t += 60_000;
  }
}

const hex = (rng: Prng, n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');

export function opsWorkloads(log: DayLog): void {
  serviceCopies(log);
  analytics(log);
  drFailover(log);
  notebook(log);
  inferenceHeavy(log);
  azureOps(log);
  retention(log);
  watermarkProofread(log);
  partnerOnboarding(log);
}
