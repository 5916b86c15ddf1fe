/**
 * AWS figures, printed as text lines (`node bench/aws.ts`; `npm run bench` runs it):
 * 1. each Lambda zip from `serverless package` (target ≤ 300 KB for the event-path functions; the
 *    scheduled posture and grants functions are printed without one);
 * 2. cold load of each bundle as a ratio to bare `node -e 0` in the same run, medians of spawned
 *    processes (target ≤ 3×);
 * 3. the reference incident (one role, one user key, two buckets, 200 objects including one of
 *    50 GB) through the real executors and S3 journal over in-memory IAM/S3/EventBridge that answer
 *    every call after 40 ms: sequential rounds until the attacker is cut off (target ≤ 3) and until
 *    the evidence is complete, object bytes through the function (target 0), parts in flight for
 *    the 50 GB copy (target ≥ 16).
 */
import { incident } from './aws/incident.ts';
import { criticalPath } from './aws/report.ts';
import { zipsAndLoad } from './aws/zips.ts';

const only = process.argv.indexOf('--buckets');
if (only > 0) {
  // One scaled incident, e.g. `node bench/aws.ts --buckets 50 [--objects 100000]`, for profiling.
  const objects = process.argv.indexOf('--objects');
  const scenario = {
    buckets: Number(process.argv[only + 1]),
    objects: objects > 0 ? Number(process.argv[objects + 1]) : 1000,
    lanes: !process.argv.includes('--shared'),
  };
  const result = await incident(scenario);
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : result);
  process.exit(0);
}
if (!process.argv.includes('--no-package')) zipsAndLoad();
await criticalPath();
