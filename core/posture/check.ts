import type { Cloud } from '../alert.ts';
import type { Config } from '../config.ts';
import type { FindingResource } from '../findings/finding.ts';
import type { PostureScope, Read, SnapshotView } from './snapshot.ts';

export const STATUSES = ['pass', 'fail', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** What a check looks at: an asset store, an inference endpoint, the evidence store, a region… */
export interface Subject {
  kind: 'asset' | 'endpoint' | 'evidence' | 'region' | 'subscription' | 'model-service' | 'deployment';
  /** Stable key within the check (bucket name, ENI id, region, ARM id). */
  id: string;
  /** How a person names it in the table. */
  name: string;
  /** AWS account or Azure subscription. */
  account: string;
  region?: string;
  /** The resources a finding about it names. */
  resources: FindingResource[];
}

export interface CheckResult {
  status: Status;
  /** What was found, in a sentence (partial coverage says what is covered and what not). */
  detail: string;
  /** The exact fix: a CLI command or template snippet with the names filled in. */
  fix?: string;
}

/** Everything a check may read: the configuration, the scope of the run and the recorded answers. */
export interface PostureContext {
  config: Config;
  scope: PostureScope;
  view: SnapshotView;
}

/**
 * One posture check, as data plus small pure functions (like a detection rule): which subjects it
 * judges, which reads it needs for each (the live collector makes exactly those), and the verdict
 * on the recorded answers. `operations` lists every operation `reads` may return: the deployment
 * grants exactly their permissions (test/meta).
 */
export interface PostureCheck {
  id: string;
  cloud: Cloud;
  title: string;
  /** Which detector or containment step depends on it. */
  why: string;
  /** 0–10: how bad a failure is for Tourniquet's work (findings and alerts carry it). */
  severity: number;
  operations: readonly string[];
  /** Reads that find the subjects (trails, accounts of a kind); most checks take theirs from the config. */
  discover?(ctx: PostureContext): Read[];
  subjects(ctx: PostureContext): Subject[];
  reads(subject: Subject, ctx: PostureContext): Read[];
  evaluate(subject: Subject, ctx: PostureContext): CheckResult;
}

/** Something that needs reads but is not a check (subject discovery, the identity analysis). */
export interface ReadPlanner {
  cloud: Cloud;
  operations: readonly string[];
  reads(ctx: PostureContext): Read[];
}

export const pass = (detail: string): CheckResult => ({ status: 'pass', detail });
export const fail = (detail: string, fix: string): CheckResult => ({ status: 'fail', detail, fix });
export const unknown = (detail: string, fix?: string): CheckResult => ({
  status: 'unknown',
  detail,
  ...(fix ? { fix } : {}),
});
