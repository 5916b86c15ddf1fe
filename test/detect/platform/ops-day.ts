/**
 * The operations day: the platform day's workloads (workloads.ts) plus the reviewer's heavy
 * legitimate users (workloads-ops.ts), with the same attacks injected. Scored by the same harness,
 * under the configuration a careful operator would add for those users (their roles as known
 * readers, the DR NAT as an expected network), and tallied per workload: false containments and
 * medium escalations.
 */
import type { Config } from '../../../core/config.ts';
import { ACCOUNT } from '../detect-config.ts';
import { type DayOptions, generateDay, type PlatformDay } from './day.ts';
import type { DayResult } from './harness.ts';
import { platformConfig } from './harness.ts';
import { BACKUP_ROLE, DATASYNC_ROLE, DR_NAT, ENDPOINT_ROLE, opsWorkloads } from './workloads-ops.ts';
import { AZCOPY_IDENTITY } from './workloads-ops-azure.ts';

export function generateOpsDay(seed: number, options: DayOptions = {}): PlatformDay {
  return generateDay(seed, options, opsWorkloads);
}

/**
 * platformConfig plus what an operator writes for these users: the service roles that copy the
 * weights and the DR endpoint role are known readers, the AzCopy identity too, and the DR region's
 * NAT addresses are an expected network. The notebook role, the analysts and the test callers are
 * deliberately not listed: people and tests are not weight readers.
 */
export function opsConfig(detect: Record<string, unknown> = {}): Config {
  const base = platformConfig().detect;
  const sts = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/*`;
  return platformConfig({
    knownReaders: [
      ...base.knownReaders,
      sts(BACKUP_ROLE),
      sts(DATASYNC_ROLE),
      sts(ENDPOINT_ROLE),
      AZCOPY_IDENTITY,
    ],
    expectedNetworks: [...base.expectedNetworks, DR_NAT],
    ...detect,
  });
}

export interface WorkloadRow {
  what: string;
  actors: number;
  /** Benign actors of the workload whose finding reaches `contain`. */
  falseContainments: number;
  /** Findings of medium confidence on its actors (escalated, nothing contained). */
  mediums: number;
  /** High findings whose plan only escalates (the playbook has nothing to revoke): nothing changes either. */
  highEscalations: number;
  /** The alert types and combinations behind them. */
  why: string[];
}

/** Per benign workload: how many of its actors would be contained, and how many medium findings it drew. */
export function perWorkload(day: PlatformDay, r: DayResult): WorkloadRow[] {
  const rows = new Map<string, WorkloadRow>();
  for (const b of day.benign) {
    const row = rows.get(b.what) ?? {
      what: b.what,
      actors: 0,
      falseContainments: 0,
      mediums: 0,
      highEscalations: 0,
      why: [],
    };
    row.actors++;
    rows.set(b.what, row);
  }
  const contained = new Set<string>();
  for (const f of r.findings) {
    if (f.attack) continue;
    const what = f.benign?.what ?? '(not in the ground truth)';
    const row = rows.get(what) ?? {
      what,
      actors: 0,
      falseContainments: 0,
      mediums: 0,
      highEscalations: 0,
      why: [],
    };
    rows.set(what, row);
    const combination = String(
      (f.alert.context as { combination?: unknown } | undefined)?.combination ?? '?',
    );
    const why = `${f.alert.confidence}: ${combination}`;
    if (!row.why.includes(why)) row.why.push(why);
    if (f.contains && !contained.has(f.actor)) {
      contained.add(f.actor);
      row.falseContainments++;
    }
    if (f.alert.confidence === 'medium') row.mediums++;
    if (f.alert.confidence === 'high' && !f.contains) row.highEscalations++;
  }
  return [...rows.values()]
    .filter((w) => w.falseContainments || w.mediums || w.highEscalations)
    .sort((a, b) => b.falseContainments - a.falseContainments || b.mediums - a.mediums);
}

export function formatWorkloads(seed: number, rows: readonly WorkloadRow[]): string {
  return [
    `[ops-day] seed ${seed}: per benign workload (only those with findings)`,
    `${'workload'.padEnd(84)} actors falseC medium high-esc  why`,
    ...rows.map(
      (w) =>
        `${w.what.padEnd(84)} ${String(w.actors).padStart(6)} ${String(w.falseContainments).padStart(6)} ${String(w.mediums).padStart(6)} ${String(w.highEscalations).padStart(8)}  ${w.why.join('; ')}`,
    ),
  ].join('\n');
}
