import type { Cloud } from '../alert.ts';
import type { PostureContext, ReadPlanner } from './check.ts';
import { UnanswerableError } from './snapshot.ts';

/** Who can reach an asset, how, and when they last used that kind of access. */
export interface IdentityRow {
  cloud: Cloud;
  /** The asset store: bucket name, or storage account id. */
  asset: string;
  principal: {
    /** IAM ARN, or Entra object id. */
    id: string;
    /** role, user, service-principal, managed-identity, group, foreign-account… */
    type: string;
    name: string;
  };
  access: 'read' | 'write' | 'read-write';
  /** The grants behind it, for people: policy names, roles at scopes. */
  via: string[];
  /** Azure: the role assignment behind this row (what a fix removes). */
  assignmentId?: string;
  /** Granted under a condition (source IP, tags…): shown, but never counted as unconditional. */
  conditional: boolean;
  /** ISO time of the last use the cloud reports, when it reports one. */
  lastUsed?: string;
  /** Where `lastUsed` comes from (IAM service last accessed for S3, Graph sign-in activity…). */
  lastUsedFrom: string;
  /**
   * `stale`: no use for `posture.staleAfterDays`; `active`; `unknown`: no last-use data;
   * `guarded`: a responder or break-glass principal — never proposed for removal.
   */
  status: 'stale' | 'active' | 'unknown' | 'guarded';
  detail: string;
}

/** A cloud's analysis of standing access to the assets, over the same snapshot as the checks. */
export interface IdentityAnalysis extends ReadPlanner {
  analyse(ctx: PostureContext, now: Date): IdentityRow[];
}

/**
 * The standing access of every principal to every asset, judged stale or not. A read the analysis
 * needs and cannot have (denied, missing) gives one `unknown` row per asset that says so.
 */
export function analyseIdentities(analysis: IdentityAnalysis, ctx: PostureContext, now: Date): IdentityRow[] {
  try {
    return analysis.analyse(ctx, now);
  } catch (error) {
    if (!(error instanceof UnanswerableError)) throw error;
    return [
      {
        cloud: analysis.cloud,
        asset: '*',
        principal: { id: '*', type: 'unknown', name: '(not analysed)' },
        access: 'read',
        via: [],
        conditional: false,
        lastUsedFrom: 'none',
        status: 'unknown',
        detail: error.message,
      },
    ];
  }
}

/** The verdict on one principal's last use, given the stale threshold. */
export function staleness(
  lastUsed: string | undefined,
  createdAt: string | undefined,
  staleAfterDays: number,
  now: Date,
): { status: 'stale' | 'active' | 'unknown'; detail: string } {
  const days = (iso: string) => Math.floor((now.getTime() - Date.parse(iso)) / 86_400_000);
  if (lastUsed) {
    const d = days(lastUsed);
    return d > staleAfterDays
      ? { status: 'stale', detail: `last used ${d} days ago (over ${staleAfterDays})` }
      : { status: 'active', detail: `last used ${d} days ago` };
  }
  if (createdAt && days(createdAt) > staleAfterDays)
    return {
      status: 'stale',
      detail: `never used in the tracking period; created ${days(createdAt)} days ago`,
    };
  if (createdAt) return { status: 'active', detail: `not used yet; created ${days(createdAt)} days ago` };
  return { status: 'unknown', detail: 'no last-use data' };
}
