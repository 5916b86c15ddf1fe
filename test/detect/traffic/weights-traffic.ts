import type { ObjectAccess } from '../../../core/detect/records.ts';
import { ACCOUNT } from '../detect-config.ts';
import { iamUser, roleSession } from './principals.ts';
import type { Prng } from './prng.ts';

const GB = 1024 ** 3;
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

export function read(
  at: number,
  principal: ObjectAccess['principal'],
  key: string,
  bytes: number,
  network: ObjectAccess['network'],
  bucket = 'models-prod',
): ObjectAccess {
  return {
    kind: 'object-access',
    op: 'read',
    cloud: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    at,
    principal,
    store: { id: `arn:aws:s3:::${bucket}`, kind: 'bucket', name: bucket },
    key,
    objectId: `s3://${bucket}/${key}`,
    bytes,
    network,
    sourceId: `ev-${at}-${key}`,
  };
}

export const shard = (i: number, of = 40) =>
  `weights/model-${String(i).padStart(5, '0')}-of-${String(of).padStart(5, '0')}.safetensors`;

/**
 * One hour of model-weight traffic: the fine-tuning job reads every shard once (80 GB, known
 * reader, through the VPC endpoint), 30 inference instances each load their 8 shards at start-up
 * (known reader, one STS session each), analysts read configs and tokenizers. `attackers` adds
 * principals who read weights in bulk, from outside the expected networks; `stealthy` adds some who
 * read too little for the bulk rule.
 */
export function weightsHour(
  rng: Prng,
  opts: { start?: number; attackers?: number; stealthy?: number; analysts?: number } = {},
) {
  const start = opts.start ?? T0;
  const at = () => start + rng.int(0, 3_540_000);
  const vpce = { vpce: 'vpce-0a1b2c3d4e5f60718', ip: '10.20.3.4' };
  const records: ObjectAccess[] = [];
  const training = roleSession('llm-finetune-role', 'job-7781');
  for (let i = 1; i <= 40; i++) records.push(read(at(), training, shard(i), 2 * GB, vpce));
  for (let n = 0; n < 30; n++) {
    const instance = roleSession('llm-inference-role', `i-0${n.toString(16).padStart(8, 'a')}`);
    for (let i = 1; i <= 8; i++)
      records.push(read(at(), instance, shard(i, 8), 2 * GB, { ip: `10.20.1.${10 + n}` }));
  }
  for (let n = 0; n < (opts.analysts ?? 12); n++) {
    const analyst = iamUser(`analyst-${n}`);
    for (const key of ['weights/config.json', 'weights/tokenizer.json', 'weights/README.md'])
      records.push(read(at(), analyst, key, 40_000, { ip: `10.20.9.${n}` }));
  }
  const attackers: string[] = [];
  for (let n = 0; n < (opts.attackers ?? 0); n++) {
    const who = n % 2 ? roleSession(`contractor-${n}`, `s-${n}`) : iamUser(`mallory-${n}`);
    attackers.push(who.id);
    const shards = rng.int(4, 12);
    for (let i = 1; i <= shards; i++)
      records.push(read(at(), who, shard(i), 2 * GB, { ip: `198.51.100.${n + 1}` }));
  }
  // Below the bulk threshold on purpose (two 2 GB shards < 5 GiB): bulk-read cannot see them.
  const stealthy: string[] = [];
  for (let n = 0; n < (opts.stealthy ?? 0); n++) {
    const who = iamUser(`quiet-${n}`);
    stealthy.push(who.id);
    for (let i = 1; i <= 2; i++)
      records.push(read(at(), who, shard(i), 2 * GB, { ip: `198.51.100.${200 + n}` }));
  }
  records.sort((a, b) => a.at - b.at);
  return { records, attackers, stealthy };
}
