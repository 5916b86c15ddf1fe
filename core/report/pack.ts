import type { Regime } from '../compliance-config.ts';
import type { Config } from '../config.ts';
import type { IncidentRecord, IncidentState } from '../journal.ts';
import type { ChainVerdict } from '../journal-chain.ts';
import { doraSection } from './dora.ts';
import { type EvidenceItem, evidenceOf } from './evidence-manifest.ts';
import { type ExposedAsset, exposedAssets } from './exposure.ts';
import { gdprSection } from './gdpr.ts';
import { firstSeenIn, type Iocs, iocsOf } from './iocs.ts';
import { type LinkedIncident, linkedIncidents } from './linked.ts';
import { type Measure, measuresOf } from './measures.ts';
import { placeOf, type RegionPlace } from './member-states.ts';
import { nis2Section } from './nis2.ts';
import type { RegimeContext, RegimeSection } from './regime-context.ts';
import { type TimelineEvent, timelineOf } from './timeline.ts';

export const PACK_VERSION = 1;

/** How a pack's evidence copies stood when checked (verify); absent when nobody could check them. */
export interface EvidenceCheck {
  location: string;
  status: 'match' | 'mismatch' | 'missing' | 'unchecked';
  detail: string;
}

/**
 * The evidence pack: the JSON contract of `tourniquet report --format json` (README "Evidence
 * pack"). Other tools read it: fields may be added, never renamed or removed.
 */
export interface EvidencePack {
  packVersion: typeof PACK_VERSION;
  incidentId: string;
  status: 'contained' | 'partially-contained' | 'failed' | 'released' | 'in-progress';
  cloud: 'aws' | 'azure';
  generatedAt: string;
  firstActivityAt: string;
  awareAt: string;
  classifiedAt: string;
  releasedAt: string | null;
  trigger: IncidentRecord['trigger'];
  alert: IncidentRecord['alert'];
  timeline: TimelineEvent[];
  measures: Measure[];
  evidence: (EvidenceItem & { check?: EvidenceCheck })[];
  iocs: Iocs;
  exposed: ExposedAsset[];
  places: RegionPlace[];
  linked: LinkedIncident[];
  chain: {
    head: string | null;
    entries: number;
    verified: boolean;
    status: ChainVerdict['status'];
    problems: ChainVerdict['problems'];
    unsealed: string[];
  };
  regimes: Partial<Record<Regime, RegimeSection>>;
  entity: NonNullable<Config['compliance']>['entity'] | null;
  contacts: NonNullable<Config['compliance']>['contacts'];
}

export interface PackInput {
  state: IncidentState;
  config: Config;
  now: Date;
  chain: ChainVerdict;
  /** The event as delivered (the journal's event.json), for IoCs and the first activity time. */
  event?: unknown;
  /** Claims of other incidents in the same store(s), for linking. */
  others?: readonly IncidentRecord[];
  checks?: readonly EvidenceCheck[];
  submissions?: RegimeContext['submissions'];
}

/**
 * Builds an incident's evidence pack from its journal and the configuration: pure, no cloud call.
 * Deadlines are computed in UTC from awareness (and classification for DORA).
 *
 * @example
 * const pack = buildPack({ state, config, now: new Date(), chain: verifyChain(state.entries) });
 */
export function buildPack(input: PackInput): EvidencePack {
  const { state, config, now } = input;
  const { record } = state;
  const alert = record.alert;
  const awareAt = record.receivedAt ?? record.createdAt;
  const classifiedAt = record.createdAt;
  const seen = firstSeenIn(input.event);
  const firstActivityAt =
    [seen, alert.observedAt, awareAt].filter((t): t is string => !!t).sort()[0] ?? awareAt;
  const measures = measuresOf(state);
  const evidence = evidenceOf(state).map((e) => {
    const check = input.checks?.find((c) => c.location === e.copy?.location);
    return check ? { ...e, check } : e;
  });
  const iocs = iocsOf(alert, input.event);
  const exposed = exposedAssets(
    alert,
    measures.map((m) => m.target),
    config,
  );
  const places = alert.region ? [placeOf(alert.region)] : [];
  const releasedAt =
    state.releaseRequests
      .map((r) => r.at)
      .sort()
      .at(-1) ?? null;
  const ctx: RegimeContext = {
    incidentId: record.incidentId,
    alert,
    awareAt,
    classifiedAt,
    now,
    config,
    measures,
    evidence,
    iocs,
    exposed,
    places,
    submissions: input.submissions ?? [],
  };
  const builders = { gdpr: gdprSection, nis2: nis2Section, dora: doraSection } as const;
  const regimes: EvidencePack['regimes'] = {};
  for (const regime of config.compliance?.regimes ?? [])
    regimes[regime] = builders[regime](ctx, record.trigger.kind);
  return {
    packVersion: PACK_VERSION,
    incidentId: record.incidentId,
    status: statusOf(measures, releasedAt),
    cloud: alert.cloud,
    generatedAt: now.toISOString(),
    firstActivityAt,
    awareAt,
    classifiedAt,
    releasedAt,
    trigger: record.trigger,
    alert,
    timeline: timelineOf(state, { firstActivity: firstActivityAt, awareAt, classifiedAt }),
    measures,
    evidence,
    iocs,
    exposed,
    places,
    linked: linkedIncidents(record, input.others ?? []),
    chain: {
      head: input.chain.head,
      entries: input.chain.entries,
      verified: input.chain.status === 'verified',
      status: input.chain.status,
      problems: input.chain.problems,
      unsealed: input.chain.unsealed,
    },
    regimes,
    entity: config.compliance?.entity ?? null,
    contacts: config.compliance?.contacts ?? {},
  };
}

/** The incident's status as `incidents list` filters it. */
export function statusOf(measures: readonly Measure[], releasedAt: string | null): EvidencePack['status'] {
  if (releasedAt) return 'released';
  const ok = (m: Measure) => m.outcome === 'applied' || m.outcome === 'already-applied';
  if (measures.some((m) => m.outcome === 'not-started' && m.startedAt === null) && !measures.some(ok))
    return 'in-progress';
  if (measures.every(ok)) return 'contained';
  return measures.some(ok) ? 'partially-contained' : 'failed';
}
