import type { Alert, Cloud } from './alert.ts';

/**
 * What an action does, in the words of the decision contract:
 * `revoke` cuts a principal off, `quarantine` closes a store, `snapshot` preserves evidence,
 * `escalate` hands a decision to humans, `grant` gives time-bound access (tourniquet grant).
 */
export const CATEGORIES = ['revoke', 'quarantine', 'snapshot', 'escalate', 'grant'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * One containment step as data. The core plans it, the cloud's executor performs it; a plan can be
 * printed, diffed, approved, dry-run and replayed.
 */
export interface ActionBase<K extends string, P> {
  /** Stable within a plan (`a1`, `a2`, …): names the journal entries. */
  id: string;
  kind: K;
  category: Category;
  /** Canonical id of what is changed (principal ARN / object id, bucket ARN, storage account id). */
  target: string;
  /** AWS account or Azure subscription the action runs in. */
  account: string;
  /** Everything the executor needs, including the exact documents it will write. */
  params: P;
  /** How the change is undone (`tourniquet release` does it from the journal's before-state). */
  inverse: string;
  /** Actions whose results this one needs; it starts when they have finished. */
  dependsOn?: string[];
  /**
   * Actions this one waits for whatever their outcome, and is told the results of (the escalation,
   * so it can say what was done and what was not; a failure there must not silence it).
   */
  after?: string[];
}

/** The `escalate` action is shared by both clouds: humans are told, nothing is changed. */
export type EscalateAction = ActionBase<
  'escalate',
  {
    reason: string;
    principal?: string;
    /** Further actors the alert names (attack sequences), for the humans told. */
    actors?: string[];
    resources: string[];
    severity: number;
    alertType: string;
  }
>;

/**
 * Each cloud pack's action union, by cloud. Core names no cloud's actions: the composition file
 * (packs/index.ts) adds every pack's union here by declaration merging, so `Action` is derived from
 * the packs while core imports none of them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging (packs/index.ts)
export interface PackActions {}

export type Action = PackActions[keyof PackActions] | EscalateAction;
export type ActionKind = Action['kind'];
export type ActionOfKind<K extends ActionKind> = Extract<Action, { kind: K }>;

/** The decision contract printed by `tourniquet plan` and returned by the manual handlers. */
export interface Decision {
  decision: 'contain' | 'ignore' | 'reject';
  reason: string;
  /** Set when the decision is `contain`: the journal key and the name in every log line. */
  incidentId?: string;
  mode: 'enforce' | 'dry-run';
  playbook?: string;
  alert: AlertSummary | null;
  actions: Action[];
}

export interface AlertSummary {
  id: string;
  cloud: Cloud;
  source: Alert['source'];
  type: string;
  severity: number;
  principal: string | null;
  resources: string[];
  account: string;
  region?: string;
  observedAt: string;
  sample: boolean;
  dedupeKey: string;
}

export function summarizeAlert(alert: Alert): AlertSummary {
  return {
    id: alert.id,
    cloud: alert.cloud,
    source: alert.source,
    type: alert.type,
    severity: alert.severity,
    principal: alert.principal?.id ?? null,
    resources: alert.resources.map((r) => r.id),
    account: alert.account,
    ...(alert.region ? { region: alert.region } : {}),
    observedAt: alert.observedAt,
    sample: alert.sample,
    dedupeKey: alert.dedupeKey,
  };
}
