// What a plan would do, without doing it: the one dry-run switch is executePlan's.
// Type-checked by the build, run by test/core/examples.test.ts, quoted by core/execute-plan.ts.
import type { Decision } from '../../core/actions.ts';
import { executePlan } from '../../core/execute-plan.ts';
import type { ExecutorRegistry } from '../../core/executor.ts';

export async function dryRunPlan(decision: Decision, executors: Partial<ExecutorRegistry>) {
  const plan = { incidentId: decision.incidentId ?? 'preview', actions: decision.actions };
  const report = await executePlan(plan, executors, { dryRun: true });
  return report.results.map((r) => `${r.actionId} ${r.kind} ${r.outcome}`);
}
