import type { WriteOnceStore } from '../journal.ts';
import { type ReleaseReport, release } from '../release.ts';
import type { RespondDeps } from '../respond.ts';

/**
 * The grants that must end, in the evidence store beside the journal: `grants/<expiresAt>/<id>.json`
 * when a grant is made, `grants-ended/<id>.json` once it has been taken back. Write-once like the
 * journal, so a grant cannot be made to look ended.
 */
export function grantIndex(store: WriteOnceStore) {
  return {
    add: (incidentId: string, expiresAt: string) =>
      store.create(
        `grants/${expiresAt}/${incidentId}.json`,
        `${JSON.stringify({ incidentId, expiresAt })}\n`,
      ),
    /** Grants whose expiry has passed and that have not been ended, earliest first. */
    async due(now: Date): Promise<string[]> {
      const [made, ended] = await Promise.all([store.list('grants/'), store.list('grants-ended/')]);
      const done = new Set(ended.map((k) => /^grants-ended\/(.+)\.json$/.exec(k)?.[1]));
      return made
        .map((k) => /^grants\/([^/]+)\/(.+)\.json$/.exec(k))
        .filter(
          (m): m is RegExpExecArray => !!m && Date.parse(m[1] ?? '') <= now.getTime() && !done.has(m[2]),
        )
        .sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? ''))
        .map((m) => m[2] as string);
    },
    ended: (incidentId: string, at: string) =>
      store.create(`grants-ended/${incidentId}.json`, `${JSON.stringify({ incidentId, at })}\n`),
  };
}

export interface ExpiryOutcome {
  incidentId: string;
  report?: ReleaseReport;
  error?: string;
}

/**
 * Takes back every grant that has expired: the same `release` as `tourniquet release`, from the
 * grant's journal, recorded as the work of the grant timer. Each grant is handled even when another
 * fails; a failed one is tried again on the next run. The access has stopped by itself already
 * (the grant's own time condition): this removes what is left.
 */
export async function expireGrants(
  store: WriteOnceStore,
  deps: RespondDeps,
  now: Date,
): Promise<ExpiryOutcome[]> {
  const index = grantIndex(store);
  const out: ExpiryOutcome[] = [];
  for (const incidentId of await index.due(now)) {
    try {
      const { report, failure } = await release(
        { incidentId, approver: 'tourniquet-grant-timer', reason: 'the just-in-time grant expired' },
        deps,
      );
      // A grant not fully taken back stays due: the next run retries what failed.
      if (failure) out.push({ incidentId, report, error: failure.message });
      else {
        await index.ended(incidentId, now.toISOString());
        out.push({ incidentId, report });
      }
    } catch (error) {
      out.push({ incidentId, error: (error as Error).message });
    }
  }
  return out;
}
