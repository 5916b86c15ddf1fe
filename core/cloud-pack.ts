import type { Action, ActionKind } from './actions.ts';
import type { Cloud, PrincipalRef } from './alert.ts';
import type { Config } from './config.ts';
import type { LogFormat } from './detect/formats/log-format.ts';
import type { CloudPlanner } from './planner.ts';
import type { Playbook } from './playbooks/playbook.ts';

/**
 * What one cloud contributes to the cloud-neutral engine. Each pack (`packs/<cloud>/pack.ts`) exports
 * one value of this shape; the composition roots hand the list (`packs/index.ts`) to `decide`, the
 * plan guard, release and the scan session. Core never imports a pack: it only knows this contract.
 * The pack's action types join core's `Action` union through `PackActions` (core/actions.ts).
 *
 * @example
 * const decision = decide(alert, config, { now: new Date(), packs: [awsPack, azurePack] });
 */
export interface CloudPack extends CloudPlanner {
  /** The playbook rows for this cloud's alert sources (first matching row wins). */
  playbooks: readonly Playbook[];
  /** Every action kind this pack plans; `escalate` is core's and shared. */
  actionKinds: readonly ActionKind[];
  /**
   * The checks a plan read back from the journal must pass before anything acts on it, for this
   * pack's action kinds: what is wrong with `action`, or `[]` (core/plan-guard.ts runs them).
   */
  checkPlanned(action: Action, config: Config): string[];
  /** This cloud's log formats by name (`tourniquet scan --format <name>`), in sniffing order. */
  formats: Readonly<Record<string, LogFormat>>;
  /**
   * The principal behind a caller a cloud-neutral log names (the generic inference log's `caller`),
   * when it is one of this cloud's identities; undefined when it is not.
   */
  callerPrincipal(caller: string, context: CallerContext): PrincipalRef | undefined;
}

/** What a log line says around a caller id. */
export interface CallerContext {
  /** The account or subscription of the line. */
  account: string;
  /** The Entra tenant, when the line names one. */
  tenant?: string;
  /** The log's own word for the caller's type (`service-principal`, …), when it gives one. */
  type?: string;
}

/** The pack for a cloud, or undefined when the composition root did not pass one. */
export function packFor(packs: readonly CloudPack[], cloud: Cloud): CloudPack | undefined {
  return packs.find((p) => p.cloud === cloud);
}
