import type { Action } from './actions.ts';
import type { Alert, Cloud, PrincipalKind, PrincipalRef } from './alert.ts';
import type { Config } from './config.ts';
import type { Intent } from './playbooks/playbook.ts';

/** What the decision hands a cloud planner once every guardrail has passed. */
export interface PlanInput {
  alert: Alert;
  config: Config;
  intents: ReadonlySet<Intent>;
  /** The principal to revoke: certain, revocable, not a responder or protected; null for none. */
  principal: PrincipalRef | null;
  /** Further actors to revoke, each checked like `principal` (findings that name a set of them). */
  actors?: readonly PrincipalRef[];
  /** True for ids of responders and protected principals: their credentials are never touched. */
  isGuarded: (principalId: string) => boolean;
  incidentId: string;
  now: Date;
  /**
   * Intents the playbook asked for that a limit (the blast radius) took away: left to humans, so a
   * planner puts no narrower change of its own in their place.
   */
  withheld?: ReadonlySet<Intent>;
  /** Why humans are told, when they are; an escalate action is planned for it. */
  escalation?: string;
}

/**
 * Everything the cloud-neutral decision needs to know about one cloud. One per cloud, in
 * packs/<cloud>/planner.ts; the decision never branches on the cloud itself.
 */
export interface CloudPlanner {
  cloud: Cloud;
  /** Is the alert's account or subscription one this configuration covers? */
  inScope(alert: Alert, config: Config): boolean;
  responders(config: Config): readonly string[];
  protectedPrincipals(config: Config): readonly string[];
  /** Principal kinds automation may revoke on this cloud; the others escalate. */
  revocableKinds: readonly PrincipalKind[];
  plan(input: PlanInput): Action[];
}
