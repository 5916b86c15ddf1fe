import type { Alert } from '../alert.ts';
import type { Regime } from '../compliance-config.ts';
import type { Config } from '../config.ts';
import { addHours, addMonths, type ClockState, type ClockStatus, clockState } from './clock.ts';
import type { EvidenceItem } from './evidence-manifest.ts';
import type { ExposedAsset } from './exposure.ts';
import type { Iocs } from './iocs.ts';
import type { Measure } from './measures.ts';
import type { RegionPlace } from './member-states.ts';

/** What a regime section is built from: everything is already in the journal or the configuration. */
export interface RegimeContext {
  incidentId: string;
  alert: Alert;
  awareAt: string;
  classifiedAt: string;
  now: Date;
  config: Config;
  measures: Measure[];
  evidence: EvidenceItem[];
  iocs: Iocs;
  exposed: ExposedAsset[];
  places: RegionPlace[];
  /** Submissions recorded for this incident (regime, stage, when). */
  submissions: { regime: Regime; stage: string; at: string }[];
}

/**
 * One field of a notification. `human` fields are empty slots (value null) a person fills in; the
 * pack never invents them. `journal` and `config` fields say where their value came from.
 */
export interface PackField {
  label: string;
  value: string | number | boolean | string[] | null;
  source: 'journal' | 'config' | 'human';
  note?: string;
}

/** One deadline of a regime, e.g. NIS2's early warning. */
export interface Clock extends ClockState {
  stage: string;
  deadline: string;
  /** How the deadline is counted, in words (and from what). */
  basis: string;
}

export interface RegimeSection {
  /** The next deadline not yet met (or the last one when all are met). */
  deadline: string;
  status: ClockStatus;
  text: string;
  clocks: Clock[];
  fields: Record<string, PackField>;
  notes: string[];
  /** Reasons for a late notification (GDPR Art. 33(1)): a slot whenever a clock is overdue or met late. */
  delayReasons?: PackField;
}

export const human = (label: string, note?: string): PackField => ({
  label,
  value: null,
  source: 'human',
  ...(note ? { note } : {}),
});
export const fromJournal = (label: string, value: PackField['value'], note?: string): PackField => ({
  label,
  value,
  source: 'journal',
  ...(note ? { note } : {}),
});
export const fromConfig = (label: string, value: PackField['value'], note?: string): PackField =>
  value === null || value === undefined
    ? human(label, note)
    : { label, value, source: 'config', ...(note ? { note } : {}) };

/** A stage's clock: `from` plus `hours` (or one month), met when a submission of that stage is recorded. */
export function clock(
  ctx: RegimeContext,
  regime: Regime,
  stage: string,
  from: string,
  period: { hours: number } | { months: number },
  basis: string,
): Clock {
  const deadline = 'hours' in period ? addHours(from, period.hours) : addMonths(from, period.months);
  const met = ctx.submissions.find((s) => s.regime === regime && s.stage === stage)?.at;
  return { stage, deadline, basis, ...clockState(deadline, ctx.now, met) };
}

/** The section's headline: the first clock not met, else the last. */
export function section(clocks: Clock[], fields: Record<string, PackField>, notes: string[]): RegimeSection {
  const next = clocks.find((c) => c.status !== 'met') ?? (clocks.at(-1) as Clock);
  const late = clocks.some((c) => c.status === 'overdue' || c.text.endsWith('late'));
  return {
    deadline: next.deadline,
    status: next.status,
    text: `${next.stage}: ${next.text}`,
    clocks,
    fields,
    notes,
    ...(late
      ? {
          delayReasons: human(
            'Reasons for the delay',
            'a notification made after its deadline must give them',
          ),
        }
      : {}),
  };
}

/** "unknown — to be provided in phases" for figures the asset metadata does not give. */
export const IN_PHASES = 'unknown — to be provided in phases (GDPR Art. 33(4))';

/** Categories of data exposed, with lineage: null when no exposed asset states any. */
export function categoriesOf(exposed: readonly ExposedAsset[]): string[] | null {
  const all = exposed.flatMap((e) => e.dataCategories ?? []);
  return all.length ? [...new Set(all)] : null;
}

/** Sum of a figure over the personal-data assets, or null when any of them does not state it. */
export function approx(
  exposed: readonly ExposedAsset[],
  field: 'approxRecords' | 'approxDataSubjects',
): number | null {
  const personal = exposed.filter((e) => e.personalData === true);
  if (!personal.length || personal.some((e) => e[field] === null)) return null;
  return personal.reduce((n, e) => n + (e[field] ?? 0), 0);
}

export function measuresText(measures: readonly Measure[]): string[] {
  return measures.map(
    (m) => `${m.actionId} ${m.kind} on ${m.target}: ${m.outcome}${m.error ? ` (${m.error})` : ''}`,
  );
}

export function natureText(ctx: RegimeContext, trigger: 'alert' | 'manual'): string {
  const a = ctx.alert;
  const who = a.principal ? `principal ${a.principal.id}` : 'an unidentified principal';
  const direct = ctx.exposed.filter((e) => !e.how.startsWith('trained into'));
  const lineage = ctx.exposed.filter((e) => e.how.startsWith('trained into'));
  const where = direct.length
    ? direct.map((e) => `${e.name} (${e.kind})`).join(', ')
    : a.resources.map((r) => r.id).join(', ');
  const inEffect = ctx.measures.filter(
    (m) => m.outcome === 'applied' || m.outcome === 'already-applied',
  ).length;
  return (
    `${a.source} reported ${a.type} (severity ${a.severity}) by ${who} on ${where || 'no named resource'}` +
    (lineage.length
      ? `; the model was trained on ${lineage.map((e) => e.name).join(', ')}, exposed through the weights`
      : '') +
    `. Tourniquet contained it ${trigger === 'alert' ? 'automatically' : "on a responder's order"} ` +
    `(${inEffect} of ${ctx.measures.length} measures in effect).`
  );
}
