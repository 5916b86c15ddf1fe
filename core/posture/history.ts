import type { Cloud } from '../alert.ts';
import type { WriteOnceStore } from '../journal.ts';
import type { PostureReport, PostureRow } from './evaluate.ts';

/**
 * The reports of the scheduled runs, kept write-once in the evidence store
 * (`posture/<cloud>/<takenAt>.json`): what the posture was on any day is evidence too (was logging
 * on when the weights left?), and each run compares itself with the last one.
 */
export function postureHistory(store: WriteOnceStore, cloud: Cloud) {
  const prefix = `posture/${cloud}/`;
  return {
    save: (report: PostureReport) =>
      store.create(`${prefix}${report.takenAt}.json`, `${JSON.stringify(report)}\n`),
    /** The latest report taken before `takenAt`, if any. */
    async previous(takenAt: string): Promise<PostureReport | undefined> {
      const keys = (await store.list(prefix))
        .filter((k) => k.slice(prefix.length, -'.json'.length) < takenAt)
        .sort();
      const last = keys[keys.length - 1];
      const text = last ? await store.get(last) : undefined;
      return text ? (JSON.parse(text) as PostureReport & { firstSeen?: Record<string, string> }) : undefined;
    },
  };
}

/** When each failing row first failed, carried from report to report (`firstSeen` by row key). */
export function firstSeenOf(previous: (PostureReport & { firstSeen?: Record<string, string> }) | undefined) {
  const known = previous?.firstSeen ?? {};
  const failedBefore = new Set((previous?.rows ?? []).filter((r) => r.status === 'fail').map(rowKey));
  return (row: PostureRow) =>
    failedBefore.has(rowKey(row)) ? (known[rowKey(row)] ?? previous?.takenAt) : undefined;
}

export const rowKey = (r: PostureRow) => `${r.cloud}|${r.check}|${r.subject.account}|${r.subject.id}`;
