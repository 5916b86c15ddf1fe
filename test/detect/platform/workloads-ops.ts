/**
 * A second, independent set of benign workloads for the platform day, written by a reviewer of the
 * rules rather than their authors: the heavy legitimate users a platform's operations team runs
 * beside the serving fleet (workloads.ts). Each is aimed at the edge of a rule: AWS services reading
 * with a role on the caller's behalf (CloudTrail `invokedBy`, `sourceIPAddress` the service's DNS
 * name), ranged reads counted as objects, a failover from new addresses, sweeps of one prompt,
 * red-team suites, pasted logs. Shapes follow the CloudTrail userIdentity element, the S3 server
 * access log, Bedrock invocation logs and StorageBlobLogs (the emitters cite them); where the
 * service's session naming is not documented it is marked as assumed.
 */

import { CANARY } from '../detect-config.ts';
import type { Prng } from '../traffic/prng.ts';
import { DAY0, type DayLog, diurnalTimes, inHour } from './day.ts';
import { type AwsIdentity, roleArn, sessionArn } from './emit-aws.ts';
import type { BlobAuth } from './emit-azure.ts';
import { answer, evalPrompt, INJECTION_PROMPTS, PORTAL_SYSTEM_PROMPT } from './texts.ts';
import {
  ARCHIVE_BUCKET,
  ARCHIVE_SHARDS,
  AWS_ENDPOINT_IP,
  AWS_ENI,
  BLOB_BYTES,
  BLOBS,
  CONTAINER,
  SHARD_BYTES,
  SHARDS,
  SMALL_FILES,
  STORAGE,
  VPCE,
  WEIGHTS_BUCKET,
} from './workloads.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const MiB = 1024 ** 2;

export const BACKUP_ROLE = 'AWSBackupDefaultServiceRole';
export const DATASYNC_ROLE = 'datasync-models-role';
export const ENDPOINT_ROLE = 'sagemaker-endpoint-role';
export const NOTEBOOK_ROLE = 'ds-notebook-role';
export const AZCOPY_IDENTITY = 'c6933b5c-476b-4e1d-8c4f-333333333333';
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

/** Inference-side heavy users: a load test sweeping sampling parameters, eval harnesses, a support engineer. */
function inferenceHeavy(log: DayLog): void {
  const rng = log.rng;
  // Load test: one prompt, temperature and top_p swept, ~2 requests a second for 40 minutes.
  const lt = 'locust-run-20261125';
  log.actor({
    actor: sessionArn('loadtest-role', lt),
    principal: roleArn('loadtest-role'),
    cloud: 'aws',
    what: 'load test sweeping temperature/top_p over one prompt',
  });
  const prompt = 'Summarise the attached release notes for a customer newsletter in three bullet points.';
  let t = inHour(rng, 10);
  for (let i = 0; i < 4800; i++) {
    log.bedrock({
      at: t,
      arn: sessionArn('loadtest-role', lt),
      modelId: 'meta.llama3-70b-instruct-v1:0',
      prompt,
      response: answer(rng, 40),
      converse: true,
      temperature: [0, 0.2, 0.5, 0.8, 1][i % 5],
      topP: [0.5, 0.9, 1][Math.floor(i / 5) % 3],
    });
    t += rng.int(300, 700);
  }
  // Regression eval: the same 300 items, each sent 5 times with an incrementing run id.
  const ev = 'eval-regression-20261125';
  log.actor({
    actor: sessionArn('eval-runner-role', ev),
    principal: roleArn('eval-runner-role'),
    cloud: 'aws',
    what: 'regression eval: same prompts with incrementing ids',
  });
  t = inHour(rng, 20);
  for (let run = 0; run < 5; run++)
    for (let item = 0; item < 300; item++) {
      log.bedrock({
        at: t,
        arn: sessionArn('eval-runner-role', ev),
        modelId: 'meta.llama3-70b-instruct-v1:0',
        prompt: `[run ${run + 1} id ${String(run * 300 + item).padStart(5, '0')}] ${evalPrompt(rng, item)}`,
        response: rng.pick(['A', 'B', 'C', 'D']),
        converse: false,
      });
      t += rng.int(200, 900);
    }
  // The AI safety team's red-team suite against its own model (garak/promptfoo-like): injection probes.
  const rt = 'redteam-suite-20261125';
  log.actor({
    actor: sessionArn('eval-runner-role', rt),
    principal: roleArn('eval-runner-role'),
    cloud: 'aws',
    what: 'AI safety red-team eval suite (injection probes against our own model)',
  });
  t = inHour(rng, 21);
  for (let i = 0; i < 60; i++) {
    log.bedrock({
      at: t,
      arn: sessionArn('eval-runner-role', rt),
      modelId: 'meta.llama3-70b-instruct-v1:0',
      prompt: `[probe ${i}] ${INJECTION_PROMPTS[i % INJECTION_PROMPTS.length]}`,
      response: 'I cannot help with that request.',
      converse: false,
    });
    t += rng.int(1000, 4000);
  }
  supportEngineer(log, rng);
}

/** A support engineer pastes a customer's debug log (with the customer's leaked key in it) and asks about it. */
function supportEngineer(log: DayLog, rng: Prng): void {
  const session = 'user-e4242';
  log.actor({
    actor: sessionArn('portal-app-role', session),
    principal: roleArn('portal-app-role'),
    cloud: 'aws',
    what: 'support engineer pasting long customer logs into the portal',
  });
  for (const at of diurnalTimes(rng, 14)) {
    const lines = Array.from(
      { length: rng.int(60, 160) },
      (_, i) =>
        `2026-11-24T${String(i % 24).padStart(2, '0')}:14:0${i % 10}Z DEBUG botocore.endpoint Sending http request: <AWSPreparedRequest stream_output=False, method=POST, url=https://sts.amazonaws.com/, headers={'X-Amz-Date': b'20261124T101400Z', 'Authorization': b'AWS4-HMAC-SHA256 Credential=AKIAQ3EGRCJ6XZ4EXMPL/20261124/us-east-1/sts/aws4_request'}>`,
    );
    const ask = rng.pick([
      'Show me the failing request in the text above and explain the error.',
      'What is wrong with this customer setup? Point to the line.',
      'Summarise this log for the ticket.',
    ]);
    log.bedrock({
      at,
      arn: sessionArn('portal-app-role', session),
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      system: PORTAL_SYSTEM_PROMPT,
      prompt: `${lines.join('\n')}\n\n${ask}`,
      response: `The request signed with Credential=AKIAQ3EGRCJ6XZ4EXMPL fails: the clock skew is 15 minutes. ${answer(rng, 30)}`,
      converse: true,
    });
  }
}

/** Azure: an AzCopy sync by an automation identity, an Azure ML datastore mount, Front Door origin pulls. */
function azureOps(log: DayLog): void {
  const rng = log.rng;
  const blobReads = (
    start: number,
    auth: BlobAuth,
    ip: string,
    blobs: readonly string[],
    chunk: number,
    container = CONTAINER,
  ) => {
    let t = start;
    for (const blob of blobs)
      for (let off = 0; off < BLOB_BYTES; off += chunk) {
        const bytes = Math.min(chunk, BLOB_BYTES - off);
        log.blob({ at: t, op: 'GetBlob', account: STORAGE, container, blob, bytes, ip, auth });
        t += Math.round(((bytes / 1.2e9) * 1000) / 16);
      }
  };
  log.actor({
    actor: AZCOPY_IDENTITY,
    principal: AZCOPY_IDENTITY,
    cloud: 'azure',
    what: 'AzCopy sync of the models container (automation identity)',
  });
  // `azcopy sync` to the DR account from a pipeline agent in the VNet, 100 MiB blocks.
  blobReads(
    inHour(rng, 2),
    { type: 'OAuth', objectId: AZCOPY_IDENTITY, principalType: 'ServicePrincipal' },
    `10.30.9.${rng.int(10, 90)}`,
    BLOBS,
    100 * MiB,
  );
  // Azure ML datastore mount (blobfuse2, 16 MiB blocks) from a new compute cluster in the ML subnet.
  log.actor({
    actor: 'b5822a4b-365a-4d0c-9b3e-222222222222',
    principal: 'b5822a4b-365a-4d0c-9b3e-222222222222',
    cloud: 'azure',
    what: 'Azure ML fine-tuning compute',
  });
  blobReads(
    inHour(rng, 14),
    { type: 'OAuth', objectId: 'b5822a4b-365a-4d0c-9b3e-222222222222', principalType: 'ServicePrincipal' },
    `10.30.5.${rng.int(100, 200)}`,
    BLOBS.slice(0, 6),
    16 * MiB,
  );
  // Front Door origin pulls of the public model cards (container `public`, anonymous, Front Door backends).
  for (let i = 0; i < 200; i++) {
    const ip = `147.243.${rng.int(0, 3)}.${rng.int(1, 250)}`;
    log.actor({
      actor: ip,
      principal: ip,
      cloud: 'azure',
      what: 'Front Door origin pull of public model cards',
    });
    log.blob({
      at: DAY0 + rng.int(0, 24 * HOUR - 1),
      op: 'GetBlob',
      account: STORAGE,
      container: 'public',
      blob: `cards/llama-70b-${rng.pick(['README.md', 'LICENSE', 'card.json'])}`,
      bytes: rng.int(2_000, 40_000),
      ip,
      auth: { type: 'Anonymous' },
    });
  }
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
 * An employee asks the portal to proofread a data-governance wiki paragraph that quotes the
 * quarter's export watermark, which is the canary token: the answer repeats the user's own text.
 */
function watermarkProofread(log: DayLog): void {
  const session = 'user-e3131';
  log.actor({
    actor: sessionArn('portal-app-role', session),
    principal: roleArn('portal-app-role'),
    cloud: 'aws',
    what: 'employee proofreading a wiki paragraph that quotes the canary (echoed back)',
  });
  const paragraph = `Every export is watermarked; the watermark for Q4 is ${CANARY}. Report any copy found outside.`;
  log.bedrock({
    at: inHour(log.rng, 11),
    arn: sessionArn('portal-app-role', session),
    modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    system: PORTAL_SYSTEM_PROMPT,
    prompt: `Please proofread this paragraph and keep the wording: "${paragraph}"`,
    response: `Every export is watermarked; the watermark for Q4 is ${CANARY}. Please report any copy found outside.`,
    converse: true,
  });
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
