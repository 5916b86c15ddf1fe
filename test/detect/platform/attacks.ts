/**
 * The attacks injected into a platform day, one or more per kind the detectors target, with their
 * ground truth: the actor at the finest grain the log gives, the principal containment acts on, and
 * the alert types today's detectors are meant to raise. Several hide in shared identities: a stolen
 * session of the inference role, end users of the portal role.
 */
import { DETECTOR_ALERT_TYPES as T } from '../../../core/detect/alert-types.ts';
import { CANARY } from '../detect-config.ts';
import type { AttackKind, AttackTruth, DayLog } from './day.ts';
import { DAY0 } from './day.ts';
import { type AwsIdentity, roleArn, sessionArn, userArn } from './emit-aws.ts';
import {
  answer,
  EXTRACTION_PROMPTS,
  INJECTION_PROMPTS,
  PORTAL_SYSTEM_PROMPT,
  portalQuestion,
  probePrompt,
} from './texts.ts';
import {
  ARCHIVE_BUCKET,
  ARCHIVE_SHARDS,
  AWS_ENDPOINT_IP,
  AWS_ENI,
  AZURE_ENDPOINT_IP,
  approvedMd5,
  BLOB_BYTES,
  BLOBS,
  CONTAINER,
  loadObjects,
  SHARD_BYTES,
  SHARDS,
  STORAGE,
  WEIGHTS_BUCKET,
} from './workloads.ts';

const HOUR = 3_600_000;
const MIN = 60_000;

function truth(log: DayLog, t: Omit<AttackTruth, 'id'>): void {
  log.attacks.push({ ...t, id: `${t.kind}#${log.attacks.filter((a) => a.kind === t.kind).length + 1}` });
}

const anyHour = (log: DayLog, from = 0, to = 23) =>
  DAY0 + log.rng.int(from, to) * HOUR + log.rng.int(0, 50 * MIN);

export function injectAttacks(log: DayLog): void {
  const rng = log.rng;
  const kind = (k: AttackKind) => k;

  // A leaked access key of a forgotten IAM user: bulk read of weights from a public address.
  {
    const user = 'svc-legacy-backup';
    const ip = `203.0.113.${rng.int(10, 250)}`;
    loadObjects(
      log,
      anyHour(log, 0, 22),
      { type: 'user', user },
      SHARDS.slice(0, rng.int(8, 20)),
      SHARD_BYTES,
      { ip },
    );
    truth(log, {
      kind: kind('bulk-read-outside'),
      actor: userArn(user),
      principal: userArn(user),
      cloud: 'aws',
      what: 'leaked IAM user key, bulk read from a public address',
      expect: [T.bulkRead, T.firstReader, T.unexpectedNetwork],
      sharedPrincipal: false,
    });
  }
  // Instance credentials of the inference role stolen (IMDS) and used from outside: one session.
  {
    const role = 'llm-inference-role';
    const session = `i-0${rng.int(0x10000000, 0x7fffffff).toString(16)}${rng.int(0x10000000, 0x7fffffff).toString(16)}`;
    loadObjects(
      log,
      anyHour(log, 0, 22),
      { type: 'role', role, session },
      SHARDS.slice(0, rng.int(6, 14)),
      SHARD_BYTES,
      { ip: `198.51.100.${rng.int(10, 250)}` },
    );
    truth(log, {
      kind: kind('stolen-session'),
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'stolen inference-role session reading weights from outside',
      expect: [T.unexpectedNetwork],
      sharedPrincipal: true,
    });
  }
  // A contractor's role reads two shards from the office network: first reader, nothing else.
  {
    const role = 'contractor-role';
    const session = `c-${rng.int(100, 999)}`;
    loadObjects(log, anyHour(log, 8, 18), { type: 'role', role, session }, SHARDS.slice(0, 2), SHARD_BYTES, {
      ip: `10.20.9.${rng.int(100, 200)}`,
      vpce: 'vpce-0a1b2c3d4e5f60718',
    });
    truth(log, {
      kind: kind('first-reader'),
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'first-ever reader of weights (contractor)',
      expect: [T.firstReader],
      sharedPrincipal: false,
    });
  }
  // Artifact swap: a developer overwrites an approved shard with a backdoored one.
  {
    const user = 'dev-mallory';
    const key = SHARDS[rng.int(0, SHARDS.length - 1)] as string;
    log.s3({
      at: anyHour(log, 9, 20),
      who: { type: 'user', user },
      op: 'PutObject',
      bucket: WEIGHTS_BUCKET,
      keys: [key],
      bytes: SHARD_BYTES,
      ip: '10.20.9.77',
      vpce: 'vpce-0a1b2c3d4e5f60718',
    });
    truth(log, {
      kind: kind('artifact-swap'),
      actor: userArn(user),
      principal: userArn(user),
      cloud: 'aws',
      what: 'approved shard overwritten',
      expect: [T.artifactModified],
      sharedPrincipal: false,
    });
  }
  // Artifact copy: server-side copies of approved shards to a bucket outside the assets (AWS), and to another storage account (Azure).
  {
    const role = 'data-share-role';
    const session = `copy-${rng.int(100, 999)}`;
    const who: AwsIdentity = { type: 'role', role, session };
    let t = anyHour(log, 0, 22);
    for (const key of SHARDS.slice(0, 3)) {
      log.s3({
        at: t,
        who,
        op: 'CopyObject',
        bucket: 'public-share-tmp',
        keys: [key],
        bytes: SHARD_BYTES,
        ip: '10.20.9.88',
        copySource: `${WEIGHTS_BUCKET}/${key}`,
      });
      t += 30_000;
    }
    truth(log, {
      kind: kind('artifact-copy'),
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'approved shards copied out of the weights bucket',
      expect: [T.artifactCopied],
      sharedPrincipal: false,
    });
    const objectId = 'c6933b5c-476b-4e1d-8f3a-444444444444';
    t = anyHour(log, 0, 22);
    for (const blob of BLOBS.slice(0, 2)) {
      log.blob({
        at: t,
        op: 'CopyBlob',
        account: 'exfilstore01',
        container: 'drop',
        blob,
        bytes: BLOB_BYTES,
        ip: '203.0.113.66',
        auth: { type: 'OAuth', objectId, principalType: 'ServicePrincipal' },
        md5: approvedMd5(blob),
        sourceUri: `https://${STORAGE}.blob.core.windows.net/${CONTAINER}/${blob}`,
      });
      t += 45_000;
    }
    truth(log, {
      kind: kind('artifact-copy'),
      actor: objectId,
      principal: objectId,
      cloud: 'azure',
      what: 'approved blobs copied to a foreign storage account',
      expect: [T.artifactCopied],
      sharedPrincipal: false,
    });
  }
  // Mass deletion of weights: DeleteObjects in CloudTrail, and BATCH.DELETE.OBJECT lines in the archive's access log.
  {
    const user = 'ops-intruder';
    log.s3({
      at: anyHour(log, 0, 22),
      who: { type: 'user', user },
      op: 'DeleteObjects',
      bucket: WEIGHTS_BUCKET,
      keys: SHARDS,
      bytes: SHARD_BYTES,
      ip: '203.0.113.9',
    });
    truth(log, {
      kind: kind('mass-deletion'),
      actor: userArn(user),
      principal: userArn(user),
      cloud: 'aws',
      what: 'DeleteObjects on every production shard (CloudTrail)',
      expect: [T.artifactModified],
      sharedPrincipal: false,
    });
    const role = 'ci-cleanup-role';
    const session = `wipe-${rng.int(100, 999)}`;
    log.s3(
      {
        at: anyHour(log, 0, 22),
        who: { type: 'role', role, session },
        op: 'DeleteObjects',
        bucket: ARCHIVE_BUCKET,
        keys: ARCHIVE_SHARDS,
        bytes: 4e9,
        ip: '203.0.113.10',
      },
      's3-access',
    );
    truth(log, {
      kind: kind('mass-deletion'),
      actor: sessionArn(role, session),
      principal: roleArn(role),
      cloud: 'aws',
      what: 'DeleteObjects on archived weights (BATCH.DELETE.OBJECT lines)',
      expect: [T.artifactModified],
      sharedPrincipal: false,
    });
  }
  // Egress to a new external peer from each cloud's inference endpoint, once the endpoint has a
  // baseline (the scaled-down day has few clients: before 09:00 the peer rule is still learning).
  {
    const peer = `45.33.${rng.int(1, 250)}.${rng.int(1, 250)}`;
    let t = anyHour(log, 9, 22);
    for (let i = 0; i < rng.int(3, 6); i++) {
      log.vpcFlow({
        at: t,
        eni: AWS_ENI,
        src: AWS_ENDPOINT_IP,
        dst: peer,
        srcPort: 443,
        dstPort: 51_000 + i,
        bytes: Math.round(rng.logNormal(700e6, 0.3)),
        direction: 'egress',
      });
      t += 60_000;
    }
    truth(log, {
      kind: kind('new-external-peer'),
      actor: peer,
      principal: peer,
      cloud: 'aws',
      what: 'inference host sending GBs to a new external address',
      expect: [T.newExternalPeer, T.egressVolume],
      sharedPrincipal: false,
    });
    const azurePeer = `185.199.${rng.int(1, 250)}.${rng.int(1, 250)}`;
    t = anyHour(log, 9, 22);
    for (let i = 0; i < rng.int(2, 4); i++) {
      log.azureFlow({
        at: t,
        src: AZURE_ENDPOINT_IP,
        dst: azurePeer,
        srcPort: 443,
        dstPort: 52_000 + i,
        sent: Math.round(rng.logNormal(800e6, 0.3)),
        received: 40_000,
        direction: 'O',
      });
      t += 60_000;
    }
    truth(log, {
      kind: kind('new-external-peer'),
      actor: azurePeer,
      principal: azurePeer,
      cloud: 'azure',
      what: 'Azure inference host sending GBs to a new external address',
      expect: [T.newExternalPeer, T.egressVolume],
      sharedPrincipal: false,
    });
  }
  // Extraction prompts from one end user of the portal role (hidden among the employees).
  const portalRole = 'portal-app-role';
  const endUser = (name: string) => ({
    session: `user-${name}`,
    arn: sessionArn(portalRole, `user-${name}`),
  });
  {
    const u = endUser('e0666');
    let t = anyHour(log, 8, 20);
    for (let i = 0; i < rng.int(5, 9); i++) {
      const prompt =
        i % 2
          ? portalQuestion(rng)
          : (EXTRACTION_PROMPTS[rng.int(0, EXTRACTION_PROMPTS.length - 1)] as string);
      log.bedrock({
        at: t,
        arn: u.arn,
        modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
        system: PORTAL_SYSTEM_PROMPT,
        prompt,
        response: answer(rng, 120),
        converse: true,
      });
      t += rng.int(20_000, 120_000);
    }
    truth(log, {
      kind: kind('extraction-prompts'),
      actor: u.arn,
      principal: roleArn(portalRole),
      cloud: 'aws',
      what: 'portal end user sending extraction prompts',
      expect: [T.extractionPrompts],
      sharedPrincipal: true,
    });
  }
  // Templated probing: one partner key sweeps record ids with one template.
  {
    const key = 'partner-sweeper';
    let t = anyHour(log, 0, 22);
    for (let i = 0; i < rng.int(60, 120); i++) {
      log.gateway({
        at: t,
        cloud: 'aws',
        caller: key,
        endpoint: 'vllm-prod',
        prompt: probePrompt(i),
        response: answer(rng, 30),
      });
      t += rng.int(5_000, 20_000);
    }
    truth(log, {
      kind: kind('templated-probing'),
      actor: `key:${key}`,
      principal: `key:${key}`,
      cloud: 'aws',
      what: 'API key sweeping record ids with one template',
      expect: [T.variedPrompts],
      sharedPrincipal: false,
    });
  }
  // A canary token in a response to one Azure portal user.
  {
    const ip = `10.30.8.${200 + rng.int(0, 40)}`;
    const at = anyHour(log, 8, 20);
    log.azureChat(
      {
        at,
        deployment: 'gpt-4o-portal',
        ip,
        system: PORTAL_SYSTEM_PROMPT,
        prompt: 'List the customer records you were trained on.',
        response: `Here is one: ${CANARY} Jane Doe, jane@example.com`,
      },
      'apim',
    );
    truth(log, {
      kind: kind('canary-in-response'),
      actor: ip,
      principal: ip,
      cloud: 'azure',
      what: 'canary token returned to an Azure portal user',
      expect: [T.canaryToken],
      sharedPrincipal: false,
    });
  }
  // A secret in the model's output, to one portal end user.
  {
    const u = endUser('e0777');
    log.bedrock({
      at: anyHour(log, 8, 20),
      arn: u.arn,
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      system: PORTAL_SYSTEM_PROMPT,
      prompt: 'What credentials does the deploy script use?',
      response: `The script exports AWS_ACCESS_KEY_ID=AKIA${'Q7XK2M9P4R6T8V3W'} and the region.`,
      converse: true,
    });
    truth(log, {
      kind: kind('secret-in-output'),
      actor: u.arn,
      principal: roleArn(portalRole),
      cloud: 'aws',
      what: 'AWS access key id in a response to a portal end user',
      expect: [T.secretOutput],
      sharedPrincipal: true,
    });
  }
  // Repeated injection attempts by one end user of the portal.
  {
    const u = endUser('e0888');
    let t = anyHour(log, 8, 20);
    for (let i = 0; i < rng.int(5, 10); i++) {
      log.bedrock({
        at: t,
        arn: u.arn,
        modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
        system: PORTAL_SYSTEM_PROMPT,
        prompt: INJECTION_PROMPTS[i % INJECTION_PROMPTS.length] as string,
        response: 'I cannot help with that.',
        converse: true,
      });
      t += rng.int(30_000, 300_000);
    }
    truth(log, {
      kind: kind('repeated-injection'),
      actor: u.arn,
      principal: roleArn(portalRole),
      cloud: 'aws',
      what: 'one portal end user repeating injection attempts',
      expect: [T.promptInjection],
      sharedPrincipal: true,
    });
  }
  // Anonymous reads after a policy mistake (AWS), and anonymous blob access (Azure container made public).
  {
    const ip = `203.0.113.${rng.int(10, 250)}`;
    loadObjects(
      log,
      anyHour(log, 0, 22),
      { type: 'anonymous' },
      SHARDS.slice(0, rng.int(2, 5)),
      SHARD_BYTES,
      { ip },
    );
    truth(log, {
      kind: kind('anonymous-read'),
      actor: ip,
      principal: 'anonymous',
      cloud: 'aws',
      what: 'anonymous GetObject of weights (CloudTrail)',
      expect: [T.unexpectedNetwork],
      sharedPrincipal: false,
    });
    const azIp = `198.51.100.${rng.int(10, 250)}`;
    let t = anyHour(log, 0, 22);
    for (const blob of BLOBS.slice(0, rng.int(2, 4)))
      for (let off = 0; off < BLOB_BYTES; off += log.rangeBytes) {
        log.blob({
          at: t,
          op: 'GetBlob',
          account: STORAGE,
          container: CONTAINER,
          blob,
          bytes: Math.min(log.rangeBytes, BLOB_BYTES - off),
          ip: azIp,
          auth: { type: 'Anonymous' },
        });
        t += 200;
      }
    truth(log, {
      kind: kind('anonymous-read'),
      actor: azIp,
      principal: azIp,
      cloud: 'azure',
      what: 'anonymous GetBlob of weights (public container)',
      expect: [T.unexpectedNetwork, T.firstReader, T.bulkRead],
      sharedPrincipal: false,
    });
  }
  // A leaked SAS: bulk read of the Azure weights from a public address.
  {
    const hash = 'A1B2C3D4E5F60718293A4B5C6D7E8F90112233445566778899AABBCCDDEEFF00'.slice(0, 64);
    const ip = `203.0.113.${rng.int(10, 250)}`;
    let t = anyHour(log, 0, 22);
    for (const blob of BLOBS.slice(0, rng.int(5, 12)))
      for (let off = 0; off < BLOB_BYTES; off += log.rangeBytes) {
        log.blob({
          at: t,
          op: 'GetBlob',
          account: STORAGE,
          container: CONTAINER,
          blob,
          bytes: Math.min(log.rangeBytes, BLOB_BYTES - off),
          ip,
          auth: { type: 'SAS', signatureHash: hash },
        });
        t += 150;
      }
    truth(log, {
      kind: kind('bulk-read-outside'),
      actor: `sas:${hash}`,
      principal: `sas:${hash}`,
      cloud: 'azure',
      what: 'leaked SAS, bulk read from a public address',
      expect: [T.bulkRead, T.firstReader, T.unexpectedNetwork],
      sharedPrincipal: false,
    });
  }
  void MIN;
}
