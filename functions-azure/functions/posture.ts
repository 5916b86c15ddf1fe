import functions, { type InvocationContext, type Timer } from '@azure/functions';
import { describeError } from '../../core/errors.ts';
import { expireGrants } from '../../core/posture/grant-index.ts';
import { runScheduledPosture, type ScheduledPostureDeps } from '../../core/posture/scheduled-run.ts';
import { invocationLog } from '../log.ts';

/** The function names and schedules (NCRONTAB, six fields), for the deployment docs and tests. */
export const POSTURE_FUNCTIONS = {
  posture: { name: 'tourniquet-posture', schedule: '0 0 6 * * *' },
  grants: { name: 'tourniquet-grants', schedule: '0 */5 * * * *' },
} as const;

/**
 * The daily posture timer: the same run as the AWS posture Lambda (core/posture/scheduled-run.ts),
 * with findings as Event Grid custom events and new failures escalated through the decision.
 */
export function postureTimer(getDeps: (context: InvocationContext) => Promise<ScheduledPostureDeps>) {
  return async (_timer: Timer, context: InvocationContext) => {
    const log = invocationLog(context);
    try {
      const result = await runScheduledPosture(await getDeps(context));
      log.info('posture run', {
        summary: result.report.summary,
        findings: result.findings,
        published: result.published,
        publishFailures: result.publishFailures.length,
        escalated: result.decisions.length,
        baseline: result.baseline,
      });
    } catch (error) {
      log.error('posture run failed', { error: describeError(error) });
      throw error;
    }
  };
}

/** The grant timer: takes back expired just-in-time grants (the twin of the AWS `grants` Lambda). */
export function grantsTimer(getDeps: () => Promise<Pick<ScheduledPostureDeps, 'store' | 'contain'>>) {
  return async (_timer: Timer, context: InvocationContext) => {
    const log = invocationLog(context);
    const { store, contain } = await getDeps();
    for (const o of await expireGrants(store, contain, new Date())) {
      if (o.error) log.error('grant not taken back', { incidentId: o.incidentId, error: o.error });
      else log.info('grant taken back', { incidentId: o.incidentId, status: o.report?.status });
    }
  };
}

functions.app.timer(POSTURE_FUNCTIONS.posture.name, {
  schedule: POSTURE_FUNCTIONS.posture.schedule,
  handler: postureTimer(async (context) =>
    (await import('../posture/posture-deps.ts')).azurePostureDeps(context),
  ),
});
functions.app.timer(POSTURE_FUNCTIONS.grants.name, {
  schedule: POSTURE_FUNCTIONS.grants.schedule,
  handler: grantsTimer(async () => {
    const runtime = await (await import('../wiring.ts')).getAzureRuntime();
    return { store: runtime.store, contain: runtime.deps() };
  }),
});
