import type { Config } from '../config.ts';
import type { DetectRecord, ObjectAccess, StoreRef } from './records.ts';

/**
 * Which stores hold model weights: the `assets` of kind `model-weights` in the `aws` and `azure`
 * sections. Matching is on the canonical store id (bucket ARN, container ARM id, any case).
 */
export function weightStores(config: Config): (store: StoreRef) => boolean {
  const buckets = new Set(
    (config.aws?.assets ?? [])
      .filter((a) => a.kind === 'model-weights')
      .map((a) => `arn:aws:s3:::${a.bucket}`),
  );
  const containers = new Set(
    (config.azure?.assets ?? [])
      .filter((a) => a.kind === 'model-weights')
      .flatMap((a) => a.containers.map((c) => containerId(a.storageAccount, c).toLowerCase())),
  );
  // Stores are one object per bucket or container (the parsers memoize them), and records of one
  // store come in runs: the last answer is kept instead of lower-casing a long id per record.
  let last: StoreRef | undefined;
  let answer = false;
  return (store) => {
    if (store !== last) {
      last = store;
      answer = store.kind === 'bucket' ? buckets.has(store.id) : containers.has(store.id.toLowerCase());
    }
    return answer;
  };
}

/** Every configured asset store, of any kind (bucket ARNs, container ARM ids in lower case). */
export function assetStores(config: Config): (store: StoreRef) => boolean {
  const buckets = new Set((config.aws?.assets ?? []).map((a) => `arn:aws:s3:::${a.bucket}`));
  const containers = new Set(
    (config.azure?.assets ?? []).flatMap((a) =>
      a.containers.map((c) => containerId(a.storageAccount, c).toLowerCase()),
    ),
  );
  return (store) =>
    store.kind === 'bucket' ? buckets.has(store.id) : containers.has(store.id.toLowerCase());
}

/** The ARM id of a blob container. */
export function containerId(storageAccountId: string, container: string): string {
  return `${storageAccountId}/blobServices/default/containers/${container}`;
}

/** Is the key a weight file (suffix table in thresholds.bulkRead.weightSuffixes)? */
export function weightFile(suffixes: readonly string[]): (key: string) => boolean {
  const lower = suffixes.map((s) => s.toLowerCase());
  const ascii = lower.every(isAscii);
  return (key) => {
    // Keys end in ASCII almost always: compare the tail in place, without a lower-cased copy.
    // ASCII characters lower-case alone, whatever precedes them, so this is the same answer.
    if (ascii) {
      let tailAscii = true;
      for (const s of lower) {
        const cut = key.length - s.length;
        if (cut < 0) continue;
        const same = asciiTailEquals(key, cut, s);
        if (same === undefined) tailAscii = false;
        else if (same) return true;
      }
      if (tailAscii) return false;
    }
    const k = key.toLowerCase();
    for (const s of lower) if (k.endsWith(s)) return true;
    return false;
  };
}

const isAscii = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
};

/**
 * Does `key` from `cut` on equal the lower-case ASCII `suffix`, ignoring ASCII case? Compared from
 * the end: while the characters seen are ASCII, they are exactly the end of the lower-cased key,
 * so a difference settles it. Undefined when a non-ASCII character comes first.
 */
function asciiTailEquals(key: string, cut: number, suffix: string): boolean | undefined {
  for (let i = suffix.length - 1; i >= 0; i--) {
    let c = key.charCodeAt(cut + i);
    if (c > 127) return undefined;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== suffix.charCodeAt(i)) return false;
  }
  return true;
}

const shared = new WeakMap<Config, (r: DetectRecord) => r is ObjectAccess>();

/**
 * Is the record a read of a weight file in a `model-weights` store? Three rules ask about every
 * record in turn, so the answer for the last record is kept.
 */
export function weightReadOf(config: Config): (r: DetectRecord) => r is ObjectAccess {
  let test = shared.get(config);
  if (!test) {
    const isStore = weightStores(config);
    const isWeight = weightFile(config.detect.thresholds.bulkRead.weightSuffixes);
    let last: DetectRecord | undefined;
    let answer = false;
    test = (r): r is ObjectAccess => {
      if (r !== last) {
        last = r;
        answer = r.kind === 'object-access' && r.op === 'read' && isStore(r.store) && isWeight(r.key);
      }
      return answer;
    };
    shared.set(config, test);
  }
  return test;
}
