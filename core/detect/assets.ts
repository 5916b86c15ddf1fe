import type { Config } from '../config.ts';
import type { StoreRef } from './records.ts';

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
