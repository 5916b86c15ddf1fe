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
  return (key) => {
    const k = key.toLowerCase();
    return lower.some((s) => k.endsWith(s));
  };
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
