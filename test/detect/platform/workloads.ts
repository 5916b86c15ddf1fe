/**
 * The benign workloads of a platform day, shaped after how they really behave: loaders read whole
 * models in ranged GETs (retrying after throttling), fleets scale out with demand, prompts carry
 * their application's template. `scale` shrinks the number of actors (employees, partners, clients),
 * never one actor's own rate or sizes: those are what the detectors judge.
 */
import type { Prng } from '../traffic/prng.ts';
import { DAY0, type DayLog, diurnal, diurnalTimes, inHour } from './day.ts';
import { type AwsIdentity, roleArn, sessionArn, userArn } from './emit-aws.ts';
import type { BlobAuth } from './emit-azure.ts';
import { answer, batchPrompt, evalPrompt, PORTAL_SYSTEM_PROMPT, portalQuestion, ragPrompt } from './texts.ts';

const GB = 1e9;
const MIN = 60_000;
const HOUR = 3_600_000;

export const VPCE = 'vpce-0a1b2c3d4e5f60718';
export const AWS_ENI = 'eni-0f1e2d3c4b5a69788';
export const AWS_ENI_2 = 'eni-0a9b8c7d6e5f40312';
export const AWS_ENDPOINT_IP = '10.20.1.15';
export const AWS_ENDPOINT_IP_2 = '10.20.1.16';
export const AZURE_ENDPOINT_IP = '10.30.1.15';
export const AZURE_ENDPOINT_IP_2 = '10.30.1.16';
export const WEIGHTS_BUCKET = 'models-prod';
export const ARCHIVE_BUCKET = 'models-archive';
export const STORAGE = 'llmweights';
export const CONTAINER = 'models';
export const AKS_IDENTITY = 'a4711f3a-254f-4cfb-8a2d-111111111111';
export const AML_IDENTITY = 'b5822a4b-365a-4d0c-9b3e-222222222222';
export const RAG_IDENTITY = '5d9e2c71-3a4b-4c8d-9e0f-777777777777';
export const KNOWN_ROLES = [
  'llm-inference-role',
  'llm-finetune-role',
  'eval-runner-role',
  'cache-warmer-role',
];

/** The production model: 30 shards of ~4.7 GB (a 70B model in bf16). */
export const SHARDS = Array.from(
  { length: 30 },
  (_, i) => `weights/llama-70b/model-${String(i + 1).padStart(5, '0')}-of-00030.safetensors`,
);
export const SHARD_BYTES = 4_700_000_000;
export const V2_SHARDS = SHARDS.map((k) => k.replace('llama-70b/', 'llama-70b-v2/'));
export const SMALL_FILES = [
  'weights/llama-70b/config.json',
  'weights/llama-70b/tokenizer.json',
  'weights/llama-70b/generation_config.json',
];
/** The Azure copy: 20 shards of ~5 GB. */
export const BLOBS = Array.from(
  { length: 20 },
  (_, i) => `llama/model-${String(i + 1).padStart(5, '0')}-of-00020.safetensors`,
);
export const BLOB_BYTES = 5_000_000_000;
export const ARCHIVE_SHARDS = Array.from(
  { length: 24 },
  (_, i) => `archive/llama-70b-2026-09/model-${String(i + 1).padStart(5, '0')}-of-00024.safetensors`,
);

/** SHA-256 (base64, as `x-amz-checksum-sha256` carries it) of an approved shard: a stable stand-in. */
export function approvedSha256(key: string): string {
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < key.length; i++) bytes[i % 32] = ((bytes[i % 32] ?? 0) * 31 + key.charCodeAt(i)) & 0xff;
  return bytes.toString('base64');
}
export function approvedMd5(blob: string): string {
  return Buffer.from(approvedSha256(blob), 'base64').subarray(0, 16).toString('base64');
}

/**
 * Reads whole objects in ranged GETs through `rangeBytes`-sized requests, 8 at a time at ~1.2 GB/s,
 * each range throttled (503 SlowDown) with probability `throttle` and retried after a back-off.
 */
export function loadObjects(
  log: DayLog,
  start: number,
  who: AwsIdentity,
  keys: readonly string[],
  size: number,
  net: { ip: string; vpce?: string },
  opts: { bucket?: string; via?: 'cloudtrail' | 's3-access'; throttle?: number } = {},
): number {
  const rng = log.rng;
  let t = start;
  for (const key of keys) {
    for (let off = 0; off < size; off += log.rangeBytes) {
      const bytes = Math.min(log.rangeBytes, size - off);
      const req = {
        who,
        op: 'GetObject' as const,
        bucket: opts.bucket ?? WEIGHTS_BUCKET,
        keys: [key],
        bytes,
        ...net,
      };
      if (rng.next() < (opts.throttle ?? 0.01)) {
        log.s3({ ...req, at: t, error: 'SlowDown' }, opts.via);
        t += rng.int(100, 800);
      }
      log.s3({ ...req, at: t }, opts.via);
      t += Math.round(((bytes / 1.2e9) * 1000) / 8);
    }
  }
  return t;
}

function blobLoad(log: DayLog, start: number, auth: BlobAuth, ip: string, blobs: readonly string[]): void {
  let t = start;
  // The Azure SDK downloads in 4 MiB chunks by default; the day uses the loader's range size.
  for (const blob of blobs)
    for (let off = 0; off < BLOB_BYTES; off += log.rangeBytes) {
      const bytes = Math.min(log.rangeBytes, BLOB_BYTES - off);
      if (log.rng.next() < 0.01)
        log.blob({
          at: t,
          op: 'GetBlob',
          account: STORAGE,
          container: CONTAINER,
          blob,
          bytes,
          ip,
          auth,
          status: 503,
        });
      log.blob({ at: t, op: 'GetBlob', account: STORAGE, container: CONTAINER, blob, bytes, ip, auth });
      t += Math.round(((bytes / 1.2e9) * 1000) / 8);
    }
}

const hex = (rng: Prng, n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');

/** The inference fleet: scale-outs with demand; every new instance loads every shard via the VPC endpoint. */
function inferenceFleet(log: DayLog): void {
  const rng = log.rng;
  const role = 'llm-inference-role';
  const scaleOuts = [6, 7, 8, 12, 13, 17].filter(() => rng.next() < 0.85);
  // The model-publishing CI rolls v2 out at 14:00: later scale-outs load the new shards.
  for (const hour of [1, ...scaleOuts]) {
    const instances = hour === 1 ? 2 : rng.int(2, 5);
    for (let i = 0; i < instances; i++) {
      const session = `i-0${hex(rng, 16)}`;
      const ip = `10.20.1.${rng.int(20, 250)}`;
      log.actor({
        actor: sessionArn(role, session),
        principal: roleArn(role),
        cloud: 'aws',
        what: 'inference fleet instance (loads the model at start-up)',
      });
      const who: AwsIdentity = { type: 'role', role, session };
      const at = inHour(log.rng, hour);
      for (const key of SMALL_FILES)
        log.s3({
          at,
          who,
          op: 'GetObject',
          bucket: WEIGHTS_BUCKET,
          keys: [key],
          bytes: 40_000,
          ip,
          vpce: VPCE,
        });
      const end = loadObjects(log, at + 2000, who, hour >= 14 ? V2_SHARDS : SHARDS, SHARD_BYTES, {
        ip,
        vpce: VPCE,
      });
      // Now and then a container crash-loops (OOM at warm-up) and the same instance loads it all again.
      if (rng.next() < 0.08)
        for (let k = 0; k < rng.int(1, 2); k++)
          loadObjects(log, end + (k + 1) * 4 * MIN, who, hour >= 14 ? V2_SHARDS : SHARDS, SHARD_BYTES, {
            ip,
            vpce: VPCE,
          });
    }
  }
  // The Azure fleet (AKS, one managed identity for every node): same pattern, from the cluster subnet.
  for (const hour of [2, 7, 12, 18].filter(() => rng.next() < 0.9)) {
    for (let i = 0; i < rng.int(1, 3); i++) {
      const ip = `10.30.2.${rng.int(10, 200)}`;
      blobLoad(
        log,
        inHour(rng, hour),
        { type: 'OAuth', objectId: AKS_IDENTITY, principalType: 'ServicePrincipal' },
        ip,
        BLOBS,
      );
    }
  }
  log.actor({
    actor: AKS_IDENTITY,
    principal: AKS_IDENTITY,
    cloud: 'azure',
    what: 'AKS inference fleet (managed identity)',
  });
}

/** Fine-tuning: SageMaker jobs (session name `SageMaker`) read every shard and the training set. */
function fineTuning(log: DayLog): void {
  const rng = log.rng;
  const role = 'llm-finetune-role';
  const who: AwsIdentity = { type: 'role', role, session: 'SageMaker' };
  log.actor({
    actor: sessionArn(role, 'SageMaker'),
    principal: roleArn(role),
    cloud: 'aws',
    what: 'fine-tuning jobs (SageMaker)',
  });
  for (const hour of [9, 15].filter(() => rng.next() < 0.9)) {
    const ip = `10.20.4.${rng.int(10, 200)}`;
    const end = loadObjects(log, inHour(rng, hour), who, SHARDS, SHARD_BYTES, { ip, vpce: VPCE });
    const parts = Array.from(
      { length: 120 },
      (_, i) => `datasets/support-v3/part-${String(i).padStart(5, '0')}.parquet`,
    );
    loadObjects(log, end, who, parts, 480_000_000, { ip, vpce: VPCE }, { bucket: 'training-data' });
    // Checkpoints written outside the weights prefix.
    for (let c = 0; c < 4; c++)
      log.s3({
        at: end + (c + 1) * 20 * MIN,
        who,
        op: 'CompleteMultipartUpload',
        bucket: WEIGHTS_BUCKET,
        keys: [`checkpoints/ft-${hour}/step-${c}.safetensors`],
        bytes: 9 * GB,
        ip,
        vpce: VPCE,
      });
  }
  // Azure ML reads the Azure copy once a day.
  blobLoad(
    log,
    inHour(rng, 10),
    { type: 'OAuth', objectId: AML_IDENTITY, principalType: 'ServicePrincipal' },
    `10.30.5.${rng.int(10, 90)}`,
    BLOBS,
  );
  log.actor({
    actor: AML_IDENTITY,
    principal: AML_IDENTITY,
    cloud: 'azure',
    what: 'Azure ML fine-tuning compute',
  });
}

/** Nightly evaluation: loads the model, then runs the benchmark on Bedrock, retrying throttled calls. */
function nightlyEval(log: DayLog): void {
  const rng = log.rng;
  const role = 'eval-runner-role';
  const session = 'eval-nightly-20261125';
  const who: AwsIdentity = { type: 'role', role, session };
  log.actor({
    actor: sessionArn(role, session),
    principal: roleArn(role),
    cloud: 'aws',
    what: 'nightly evaluation job',
  });
  let t = loadObjects(log, DAY0 + 2 * HOUR + rng.int(0, 10 * MIN), who, SHARDS, SHARD_BYTES, {
    ip: `10.20.5.${rng.int(10, 90)}`,
    vpce: VPCE,
  });
  for (let item = 0; item < 600; item++) {
    const prompt = evalPrompt(rng, item);
    const tries = rng.next() < 0.05 ? 2 : 1; // ThrottlingException, then the same request again
    for (let k = 0; k < tries; k++) {
      log.bedrock({
        at: t,
        arn: sessionArn(role, session),
        modelId: 'meta.llama3-70b-instruct-v1:0',
        prompt,
        response: rng.pick(['A', 'B', 'C', 'D']),
        converse: false,
      });
      t += rng.int(300, 2500);
    }
  }
}

/** Cache warmers refill each AZ's FSx cache from S3 every morning (known readers). */
function cacheWarmers(log: DayLog): void {
  const role = 'cache-warmer-role';
  for (const az of ['use1-az1', 'use1-az2', 'use1-az4']) {
    const session = `warmer-${az}`;
    log.actor({
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'cache warmer',
    });
    loadObjects(
      log,
      DAY0 + 5 * HOUR + log.rng.int(0, 50 * MIN),
      { type: 'role', role, session },
      SHARDS,
      SHARD_BYTES,
      { ip: `10.20.6.${log.rng.int(10, 90)}`, vpce: VPCE },
    );
  }
}

/** Model-publishing CI (GitHub Actions OIDC) uploads v2 and archives old checkpoints, deleting temp parts. */
function publishingCi(log: DayLog): void {
  const rng = log.rng;
  const role = 'model-publish-ci';
  const session = 'GitHubActions';
  const who: AwsIdentity = { type: 'role', role, session };
  log.actor({
    actor: sessionArn(role, session),
    principal: roleArn(role),
    cloud: 'aws',
    what: 'model publishing CI',
  });
  let t = DAY0 + 13 * HOUR + rng.int(0, 30 * MIN);
  const ip = `10.20.8.${rng.int(10, 90)}`; // self-hosted runners in the VPC
  for (const key of V2_SHARDS) {
    log.s3({
      at: t,
      who,
      op: 'CompleteMultipartUpload',
      bucket: WEIGHTS_BUCKET,
      keys: [key],
      bytes: SHARD_BYTES,
      ip,
      vpce: VPCE,
      userAgent: '[aws-cli/2.15.0]',
    });
    t += rng.int(20_000, 60_000);
  }
  // Archive copies go to the archive bucket (access logs), the temp prefix is cleaned with DeleteObjects.
  for (const key of ARCHIVE_SHARDS)
    log.s3(
      {
        at: t + rng.int(0, 60_000),
        who,
        op: 'PutObject',
        bucket: ARCHIVE_BUCKET,
        keys: [key.replace('2026-09', '2026-11')],
        bytes: 4 * GB,
        ip,
      },
      's3-access',
    );
  const temp = Array.from({ length: 40 }, (_, i) => `tmp/upload-${hex(rng, 8)}-${i}.part`);
  log.s3(
    { at: t + 5 * MIN, who, op: 'DeleteObjects', bucket: ARCHIVE_BUCKET, keys: temp, bytes: 100_000_000, ip },
    's3-access',
  );
}

/** The employee portal on Bedrock: one role, one session per employee, a long system prompt. */
function portal(log: DayLog): void {
  const rng = log.rng;
  const role = 'portal-app-role';
  const employees = Math.max(8, Math.round(150 * log.scale));
  for (let e = 0; e < employees; e++) {
    const session = `user-e${String(1000 + e)}`;
    log.actor({
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'employee portal user',
    });
    const times = diurnalTimes(rng, Math.max(1, Math.round(rng.logNormal(12, 0.8))));
    for (const at of times) {
      const prompt = portalQuestion(rng);
      const tries = rng.next() < 0.03 ? 2 : 1;
      for (let k = 0; k < tries; k++)
        log.bedrock({
          at: at + k * 1500,
          arn: sessionArn(role, session),
          modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
          system: PORTAL_SYSTEM_PROMPT,
          prompt,
          response: answer(rng, 80),
          converse: true,
        });
    }
  }
  // The same portal on Azure, behind API Management: employees by their VPN address.
  const azureEmployees = Math.max(6, Math.round(60 * log.scale));
  for (let e = 0; e < azureEmployees; e++) {
    const ip = `10.30.8.${10 + e}`;
    log.actor({ actor: ip, principal: ip, cloud: 'azure', what: 'employee portal user (Azure, APIM)' });
    for (const at of diurnalTimes(rng, Math.max(1, Math.round(rng.logNormal(10, 0.8)))))
      log.azureChat(
        {
          at,
          deployment: 'gpt-4o-portal',
          ip,
          system: PORTAL_SYSTEM_PROMPT,
          prompt: portalQuestion(rng),
          response: answer(rng, 80),
        },
        'apim',
      );
  }
}

/** The RAG pipeline: a few ECS tasks, every prompt one long template around retrieved chunks. */
function rag(log: DayLog): void {
  const rng = log.rng;
  const role = 'rag-pipeline-role';
  const tasks = Math.max(1, Math.round(4 * log.scale));
  for (let i = 0; i < tasks; i++) {
    const session = `ecs-task-${hex(rng, 32)}`;
    log.actor({
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'RAG pipeline task',
    });
    for (const at of diurnalTimes(rng, 1500)) {
      const prompt = ragPrompt(rng);
      const tries = rng.next() < 0.04 ? rng.int(2, 3) : 1; // throttled: retried with back-off
      for (let k = 0; k < tries; k++)
        log.bedrock({
          at: at + k * 2000 * 2 ** k,
          arn: sessionArn(role, session),
          modelId: 'meta.llama3-70b-instruct-v1:0',
          prompt,
          response: `${answer(rng, 60)} Sources: [KB-${rng.int(1000, 4999)}]`,
          converse: false,
        });
    }
  }
  // The Azure RAG service (managed identity): RequestResponse logs, no content.
  log.actor({
    actor: RAG_IDENTITY,
    principal: RAG_IDENTITY,
    cloud: 'azure',
    what: 'Azure RAG service (managed identity)',
  });
  for (const at of diurnalTimes(rng, Math.max(300, Math.round(3000 * log.scale))))
    log.azureChat(
      {
        at,
        deployment: 'gpt-4o-rag',
        objectId: RAG_IDENTITY,
        ip: '10.30.4.10',
        prompt: 'x'.repeat(2400),
        response: 'y'.repeat(600),
      },
      'azure-openai',
    );
}

/** The internal batch consumer: classifies the night's tickets through the gateway, then pulls results. */
function batchConsumer(log: DayLog): void {
  const rng = log.rng;
  const caller = sessionArn('batch-consumer-role', 'batch-20261125');
  log.actor({
    actor: caller,
    principal: roleArn('batch-consumer-role'),
    cloud: 'aws',
    what: 'internal batch consumer',
  });
  const start = DAY0 + 1 * HOUR;
  for (let i = 0; i < 4000; i++)
    log.gateway({
      at: start + Math.floor((i * 2 * HOUR) / 4000),
      cloud: 'aws',
      caller,
      endpoint: 'vllm-prod',
      prompt: batchPrompt(rng),
      response: rng.pick(['billing', 'outage', 'feature-request', 'account', 'other']),
    });
  // It pulls the result files from the endpoint host: big transfers to one internal peer.
  for (const [peer, eni, local, layout] of [
    ['10.20.12.5', AWS_ENI, AWS_ENDPOINT_IP, 'custom'],
    ['10.20.12.6', AWS_ENI_2, AWS_ENDPOINT_IP_2, 'default'],
  ] as const) {
    log.actor({ actor: peer, principal: peer, cloud: 'aws', what: 'batch consumer host pulling results' });
    for (let m = 0; m < 180; m += 2)
      log.vpcFlow(
        {
          at: start + m * MIN,
          eni,
          src: local,
          dst: peer,
          srcPort: 8000,
          dstPort: 40_000 + m,
          bytes: Math.round(rng.logNormal(120e6, 0.5)),
          direction: 'egress',
        },
        layout,
      );
  }
  log.actor({
    actor: '10.30.12.5',
    principal: '10.30.12.5',
    cloud: 'azure',
    what: 'Azure batch consumer host',
  });
  for (let m = 0; m < 120; m += 2)
    log.azureFlow({
      at: start + m * MIN,
      src: AZURE_ENDPOINT_IP,
      dst: '10.30.12.5',
      srcPort: 8000,
      dstPort: 40_000 + m,
      sent: Math.round(rng.logNormal(90e6, 0.5)),
      received: 20_000,
      direction: 'O',
    });
}

/** Partners calling the gateway with API keys, and everyone's responses on the wire. */
function clientsAndFlows(log: DayLog): void {
  const rng = log.rng;
  const partners = Math.max(4, Math.round(15 * log.scale));
  for (let p = 0; p < partners; p++) {
    const key = `partner-${p}`;
    log.actor({ actor: `key:${key}`, principal: `key:${key}`, cloud: 'aws', what: 'partner API key' });
    for (const at of diurnalTimes(rng, Math.round(rng.logNormal(150, 0.7))))
      log.gateway({
        at,
        cloud: 'aws',
        caller: key,
        endpoint: 'vllm-prod',
        prompt: portalQuestion(rng),
        response: answer(rng, 60),
      });
  }
  const internal = Math.max(20, Math.round(150 * log.scale));
  const external = Math.max(10, Math.round(80 * log.scale));
  const peers = [
    ...Array.from({ length: internal }, (_, i) => `10.21.${i >> 6}.${(i % 64) + 10}`),
    ...Array.from({ length: external }, (_, i) => `192.0.2.${(i % 250) + 1}`),
  ];
  const azurePeers = [
    ...Array.from({ length: Math.max(10, Math.round(60 * log.scale)) }, (_, i) => `10.31.0.${i + 10}`),
    ...Array.from({ length: Math.max(5, Math.round(40 * log.scale)) }, (_, i) => `192.0.2.${(i % 250) + 1}`),
  ];
  for (const peer of peers) {
    log.actor({ actor: peer, principal: peer, cloud: 'aws', what: 'inference client (responses)' });
    const second = rng.next() < 0.3;
    for (const at of diurnalTimes(rng, rng.int(30, 90))) {
      const bytes = Math.round(rng.logNormal(20_000, 1.2));
      log.vpcFlow(
        {
          at,
          eni: second ? AWS_ENI_2 : AWS_ENI,
          src: second ? AWS_ENDPOINT_IP_2 : AWS_ENDPOINT_IP,
          dst: peer,
          srcPort: 443,
          dstPort: rng.int(32768, 60999),
          bytes,
          direction: 'egress',
        },
        second ? 'default' : 'custom',
      );
      if (!second)
        log.vpcFlow({
          at,
          eni: AWS_ENI,
          src: peer,
          dst: AWS_ENDPOINT_IP,
          srcPort: rng.int(32768, 60999),
          dstPort: 443,
          bytes: Math.round(rng.logNormal(3000, 0.6)),
          direction: 'ingress',
        });
    }
  }
  for (const peer of azurePeers) {
    log.actor({ actor: peer, principal: peer, cloud: 'azure', what: 'Azure inference client (responses)' });
    const nsg = rng.next() < 0.3;
    for (const at of diurnalTimes(rng, rng.int(30, 90)))
      log.azureFlow(
        {
          at,
          src: nsg ? AZURE_ENDPOINT_IP_2 : AZURE_ENDPOINT_IP,
          dst: peer,
          srcPort: 443,
          dstPort: rng.int(32768, 60999),
          sent: Math.round(rng.logNormal(20_000, 1.2)),
          received: Math.round(rng.logNormal(3000, 0.6)),
          direction: 'O',
        },
        nsg ? 'nsg-flow' : 'vnet-flow',
      );
  }
  // Analysts read configs and model cards (IAM users, office network).
  for (let a = 0; a < 6; a++) {
    const user = `analyst-${a}`;
    log.actor({
      actor: userArn(user),
      principal: userArn(user),
      cloud: 'aws',
      what: 'analyst reading configs',
    });
    for (let k = 0; k < 3; k++)
      log.s3({
        at: inHour(rng, rng.int(8, 17)),
        who: { type: 'user', user },
        op: 'GetObject',
        bucket: WEIGHTS_BUCKET,
        keys: [rng.pick(SMALL_FILES)],
        bytes: 40_000,
        ip: `10.20.9.${a + 10}`,
        vpce: VPCE,
      });
  }
  void diurnal;
}

export function benignDay(log: DayLog): void {
  inferenceFleet(log);
  fineTuning(log);
  nightlyEval(log);
  cacheWarmers(log);
  publishingCi(log);
  portal(log);
  rag(log);
  batchConsumer(log);
  clientsAndFlows(log);
}
