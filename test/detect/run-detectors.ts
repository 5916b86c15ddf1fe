import type { Alert } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { createDetectors } from '../../core/detect/detectors.ts';
import { memoryWindowStore } from '../../core/detect/memory-window-store.ts';
import type { DetectRecord } from '../../core/detect/records.ts';
import type { WindowStore } from '../../core/detect/window-store.ts';

/** Runs every rule over records split into "files" (one flush each), as the scan does. */
export async function runDetectors(
  config: Config,
  files: readonly (readonly DetectRecord[])[],
  state: WindowStore = memoryWindowStore(),
) {
  const detectors = createDetectors(config);
  const alerts: Alert[] = [];
  for (const file of files) {
    for (const record of file) for (const d of detectors) d.observe(record);
    for (const d of detectors) alerts.push(...(await d.flush(state)));
  }
  return { alerts, state };
}

/** The principals (or peers) alerted on for one alert type. */
export function flagged(alerts: readonly Alert[], type: string): string[] {
  return [...new Set(alerts.filter((a) => a.type === type).map((a) => a.principal?.id ?? '?'))];
}

/** Splits records into `n` consecutive files. */
export function files<T>(records: readonly T[], n: number): T[][] {
  const size = Math.ceil(records.length / n);
  return Array.from({ length: n }, (_, i) => records.slice(i * size, (i + 1) * size));
}
