import type { Alert, AlertSource } from '../alert.ts';
import type { Config } from '../config.ts';

/**
 * What a playbook asks for, cloud-neutrally; each cloud's planner turns intents into actions:
 * - `revoke-principal`: cut the actor off (sessions, keys, role assignments; on Azure, a caller IP by a
 *   storage network rule where no quarantine closes the account)
 * - `contain-resources`: quarantine the protected stores and disable the credentials the alert names
 * - `preserve-evidence`: pin/snapshot the objects the alert names and the asset's evidence prefixes
 * - `copy-evidence`: copy what was pinned into the evidence store, server-side
 * - `contain-inference`: stop the model answering the actor (AWS: deny its inference calls, for one
 *   session when the alert names one; Azure: close key access to the AI account, or shut out the
 *   caller's address) — narrower than revoking the actor altogether
 * - `escalate`: tell humans
 */
export const INTENTS = [
  'revoke-principal',
  'contain-resources',
  'preserve-evidence',
  'copy-evidence',
  'contain-inference',
  'escalate',
] as const;
export type Intent = (typeof INTENTS)[number];

/** One row of the playbook table: which alerts lead to which intents. First match wins. */
export interface Playbook {
  id: string;
  description: string;
  sources: readonly AlertSource[];
  /** Alert types; `*` matches any run of characters. */
  types: readonly string[];
  intents: readonly Intent[];
  /**
   * An alert about a responder: their own routine work, e.g. Tourniquet's PutBucketPolicy showing up
   * in CloudTrail (`ignore`), or a possible compromise of a responder identity (`escalate`).
   */
  onResponder: 'ignore' | 'escalate';
  /**
   * Narrows the playbook to the alerts of its types it accepts (an anonymous caller's read among
   * all reads): listed before the general playbook of the same types, it takes those alerts only.
   */
  when?: (alert: Alert) => boolean;
  /** Why this alert is not a threat by itself (returns the reason), or undefined when it is. */
  benign?: (alert: Alert, config: Config) => string | undefined;
  /**
   * Why humans must judge the actor although the alert is real (say, a guardrail deleted by an
   * identity nobody listed as expected to): the revocation becomes an escalation, the rest stands.
   */
  holdActor?: (alert: Alert, config: Config) => string | undefined;
  /**
   * The severity these types must reach when `minSeverityByType` does not name them, instead of
   * `minSeverity`: GuardDuty rates its AI Protection findings Low, so a global threshold of 7
   * would drop every one of them. Routing is by type; the threshold follows the type.
   */
  minSeverity?: number;
}

export const ALL_INTENTS: readonly Intent[] = INTENTS;

export function findPlaybook(alert: Alert, table: readonly Playbook[]): Playbook | undefined {
  return table.find(
    (p) =>
      p.sources.includes(alert.source) &&
      p.types.some((t) => typeMatches(t, alert.type)) &&
      (!p.when || p.when(alert)),
  );
}

/** Does a type pattern (`*` matches any run of characters) name this alert type? */
export function typeMatches(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  const re = pattern.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${re}$`).test(type);
}
