import type { Cloud } from '../../core/alert.ts';
import type { Config } from '../../core/config.ts';
import { evaluatePosture } from '../../core/posture/evaluate.ts';
import { analyseIdentities, type IdentityRow } from '../../core/posture/identities.ts';
import {
  mergeSnapshots,
  type PostureSnapshot,
  parseSnapshot,
  snapshotView,
} from '../../core/posture/snapshot.ts';
import { awsIdentityAnalysis } from '../../packs/aws/posture/identities/analysis.ts';
import { awsPostureChecks } from '../../packs/aws/posture/index.ts';
import { azureIdentityAnalysis } from '../../packs/azure/posture/identities/analysis.ts';
import { azurePostureChecks } from '../../packs/azure/posture/index.ts';
import { parseFlags, readInput, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { describeIdentities, describePosture } from '../posture-render.ts';
import { standingAccessFix } from './posture-fix.ts';

const help = `Usage: tourniquet posture [--cloud aws|azure] [--config FILE] [--json]
                          [--identities [--fix [--apply --reason TEXT]]]
                          [--save FILE | --snapshot FILE] [--stack NAME]

Checks, read-only, what the detectors and the containment depend on: per asset, inference
endpoint, region and subscription, each check passes, fails or is unknown, with why it matters and
the exact fix (CLI command or template snippet). docs/posture.md lists every check.

Options:
  --cloud aws|azure  one cloud (default: every cloud the configuration has)
  --config FILE      configuration (default: ./tourniquet.config.json; --snapshot may use the example)
  --json             the report as JSON on stdout instead of the table
  --identities       also list who can read or write each asset and when they last used it; stale
                     after posture.staleAfterDays (default 30)
  --fix              with --identities: print the plan that removes the standing access of stale
                     principals (a Deny on the asset for AWS roles and users, the role assignment for
                     Azure); responders and break-glass are never in it. Just-in-time grants
                     (tourniquet grant) are the way back.
  --apply            carry that plan out, journaled with before-states and inverses like every
                     change (needs "mode": "enforce"; otherwise a dry run). Undo: tourniquet release
  --reason TEXT      why (recorded with --apply)
  --approver NAME    who approved (default: $USER)
  --save FILE        also write the raw API responses used (the snapshot) to FILE
  --snapshot FILE    judge a saved snapshot, with no cloud access
  --stack NAME       the deployed stack's name, whose EventBridge rules are checked (default tourniquet-prod)

Credentials: the AWS default chain (region from AWS_REGION, else us-east-1) and DefaultAzureCredential
(az login). The reads need the permissions of the posture role (serverless.yml, PostureRole) or of
functions-azure/deploy/tourniquet-posture-role.json.

Exit codes: 0 nothing failed, 3 a check failed (or, with --identities, a principal is stale),
1 usage or configuration error, 2 the snapshot file was rejected.

Examples:
  tourniquet posture --config tourniquet.config.json --save posture-2026-03-02.json
  tourniquet posture --snapshot posture-2026-03-02.json --config tourniquet.config.json --json
  tourniquet posture --identities --fix --config tourniquet.config.json`;

export const postureCommand: Command = {
  name: 'posture',
  summary: 'check telemetry, evidence readiness and standing access before a leak (read-only)',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      cloud: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      identities: { type: 'boolean' },
      fix: { type: 'boolean' },
      apply: { type: 'boolean' },
      reason: { type: 'string' },
      approver: { type: 'string' },
      save: { type: 'string' },
      snapshot: { type: 'string' },
      stack: { type: 'string' },
    });
    if (values.save && values.snapshot) throw new UsageError('--save and --snapshot exclude each other');
    if (values.fix && !values.identities) throw new UsageError('--fix needs --identities');
    if (values.apply && !values.fix) throw new UsageError('--apply needs --fix');
    if (values.apply && !values.reason?.trim())
      throw new UsageError('--apply needs --reason: it is recorded in the journal');
    const { config, path, example } = loadConfigFile(values.config, { allowExample: !!values.snapshot });
    if (example) io.err(`(no --config given: using the example configuration ${path})`);
    const clouds = cloudsOf(values.cloud, config);
    const snapshot = values.snapshot
      ? parseSnapshot(JSON.parse(await readInput(values.snapshot)), values.snapshot)
      : await liveSnapshot(config, clouds, !!values.identities, values.stack ?? 'tourniquet-prod', io.err);
    if (values.save) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(values.save, `${JSON.stringify(snapshot, null, 2)}\n`);
      io.err(`(snapshot written to ${values.save})`);
    }
    const checks = [...awsPostureChecks, ...azurePostureChecks].filter((c) => clouds.includes(c.cloud));
    const report = evaluatePosture(checks, restrict(snapshot, clouds), config);
    const now = new Date(snapshot.takenAt);
    const identities: IdentityRow[] = values.identities
      ? clouds.flatMap((cloud) =>
          snapshot.scope[cloud]
            ? analyseIdentities(
                cloud === 'aws' ? awsIdentityAnalysis : azureIdentityAnalysis,
                { config, scope: snapshot.scope, view: snapshotView(snapshot, cloud) },
                now,
              )
            : [],
        )
      : [];
    const fix = values.fix
      ? await standingAccessFix(identities, config, {
          scope: snapshot.scope,
          apply: !!values.apply,
          approver: values.approver ?? process.env.USER ?? 'unknown',
          reason: values.reason ?? 'posture --fix',
          now: new Date(),
          progress: io.err,
        })
      : undefined;
    if (values.json) {
      const fixJson = fix
        ? { decisions: fix.decisions, skipped: fix.skipped, reports: fix.reports }
        : undefined;
      io.out(
        JSON.stringify(
          { report, ...(values.identities ? { identities } : {}), ...(fixJson ? { fix: fixJson } : {}) },
          null,
          2,
        ),
      );
    } else {
      io.out(describePosture(report));
      if (values.identities) io.out(`\n${describeIdentities(identities)}`);
      if (fix) io.out(`\n${fix.summary}`);
    }
    const stale = identities.some((r) => r.status === 'stale');
    return report.summary.fail > 0 || stale ? EXIT.notVerified : EXIT.ok;
  },
};

function cloudsOf(flag: string | undefined, config: Config): Cloud[] {
  if (flag === 'aws' || flag === 'azure') {
    if (!config[flag]) throw new UsageError(`--cloud ${flag}: the configuration has no "${flag}" section`);
    return [flag];
  }
  if (flag !== undefined) throw new UsageError(`--cloud must be aws or azure, not "${flag}"`);
  return (['aws', 'azure'] as const).filter((c) => config[c]);
}

/** The snapshot with only the chosen clouds' scopes (the others are not judged). */
function restrict(snapshot: PostureSnapshot, clouds: readonly Cloud[]): PostureSnapshot {
  return {
    ...snapshot,
    scope: Object.fromEntries(Object.entries(snapshot.scope).filter(([c]) => clouds.includes(c as Cloud))),
  };
}

async function liveSnapshot(
  config: Config,
  clouds: readonly Cloud[],
  identities: boolean,
  stack: string,
  progress: (line: string) => void,
): Promise<PostureSnapshot> {
  const now = new Date();
  const runs: PostureSnapshot[] = [];
  for (const cloud of clouds) {
    progress(`(reading ${cloud} posture…)`);
    if (cloud === 'aws') {
      const { collectAwsPosture } = await import('../../functions-aws/posture/run.ts');
      const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
      runs.push(await collectAwsPosture({ config, region, stack, identities, now }));
    } else {
      const { collectAzurePosture, defaultAzureTokens } = await import(
        '../../functions-azure/posture/run.ts'
      );
      runs.push(await collectAzurePosture({ config, identities, now, ...(await defaultAzureTokens()) }));
    }
  }
  return mergeSnapshots(runs, now.toISOString());
}
