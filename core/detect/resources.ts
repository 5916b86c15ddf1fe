import type { ResourceRef } from '../alert.ts';
import type { StoreRef } from './records.ts';

/** Most objects an alert names: enough to pin the evidence, far below limits.maxObjects. */
export const MAX_OBJECTS_PER_ALERT = 20;

/**
 * The alert resources for objects of one store, in the alert model's canonical ids: the bucket and
 * its objects (`s3://…`), or the storage account, the container and its blobs (URLs).
 */
export function storeResources(store: StoreRef, objectIds: Iterable<string> = []): ResourceRef[] {
  const objects = [...objectIds].slice(0, MAX_OBJECTS_PER_ALERT);
  if (store.kind === 'bucket') {
    return [
      { kind: 'bucket', id: store.id },
      ...objects.map((id): ResourceRef => ({ kind: 'object', id, parent: store.id })),
    ];
  }
  return [
    ...(store.storageAccountId ? [{ kind: 'storage-account' as const, id: store.storageAccountId }] : []),
    {
      kind: 'container',
      id: store.id,
      ...(store.storageAccountId ? { parent: store.storageAccountId } : {}),
    },
    ...objects.map((id): ResourceRef => ({ kind: 'blob', id, parent: store.id })),
  ];
}

/** Adds to a set until it holds `max` members; evidence lists stay short whatever the traffic. */
export function addCapped<T>(set: Set<T>, value: T, max = MAX_OBJECTS_PER_ALERT): void {
  if (set.size < max) set.add(value);
}
