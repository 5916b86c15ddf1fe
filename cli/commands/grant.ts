import { randomBytes } from 'node:crypto';
import type { Config } from '../../core/config.ts';
import { changeDecision, type PostureChange } from '../../core/posture/change.ts';
import { grantIndex } from '../../core/posture/grant-index.ts';
import type { PolicyDocument } from '../../packs/aws/policies.ts';
import { awsGrantChange } from '../../packs/aws/posture/posture-changes.ts';
import { azureGrantChange } from '../../packs/azure/posture/posture-changes.ts';
import { parseFlags, required, UsageError } from '../args.ts';
import { type Command, EXIT } from '../command.ts';
import { loadConfigFile } from '../config-file.ts';
import { describeDecision, describeResult } from '../render.ts';
import { cloudOfTarget } from '../runtime.ts';

const help = `Usage: tourniquet grant --principal ID --asset NAME --for DURATION --reason TEXT [--approver NAME]
                        [--access read|write] [--prefix PREFIX] [--container NAME]
                        [--principal-type ServicePrincipal|User|Group] [--config FILE]

Gives a principal time-bound access to an asset, and takes it back by itself:
  AWS    an inline policy on the role or user whose statements carry DateLessThan aws:CurrentTime =
         expiry (IAM stops honouring it then, even if nothing removes it); if a posture fix denied the
         principal this bucket, that Deny is opened until the expiry. The grants function removes the
         policy and restores the Deny when it expires.
  Azure  a PIM role assignment schedule request (AdminAssign, ending at expiry) where the tenant has
         PIM, else a role assignment whose condition (@Environment[UtcNow] DateTimeLessThan expiry)
         ends it, removed by the tourniquet-grants timer.
Journaled like every change (before-state, inverse); "tourniquet release --incident ID" ends it early.
Dry run unless the configuration says "mode": "enforce".

Options:
  --principal ID      IAM role or user ARN (AWS), Entra object id (Azure)
  --asset NAME        an asset bucket (AWS) or storage account name or id (Azure) from the configuration
  --for DURATION      how long: 30m, 2h, … (at most posture.maxGrantHours, default 12 h)
  --reason TEXT       why (required; recorded)
  --approver NAME     who approved (default: $USER)
  --access read|write read (default) or read and write
  --prefix PREFIX     AWS: only objects under this key prefix
  --container NAME    Azure: only this container
  --principal-type T  Azure: ServicePrincipal (default), User or Group
  --config FILE       configuration (default: ./tourniquet.config.json; required otherwise)

Exit codes: 0 granted (or planned, in dry-run), 1 usage, configuration or a refused grant.

Example:
  tourniquet grant --principal arn:aws:iam::111122223333:role/deploy-pipeline --asset models-prod \\
    --for 2h --reason "release v3 weights" --approver alice`;

export const grantCommand: Command = {
  name: 'grant',
  summary: 'give time-bound (just-in-time) access to an asset; it ends by itself',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      principal: { type: 'string' },
      asset: { type: 'string' },
      for: { type: 'string' },
      reason: { type: 'string' },
      approver: { type: 'string' },
      access: { type: 'string' },
      prefix: { type: 'string' },
      container: { type: 'string' },
      'principal-type': { type: 'string' },
      config: { type: 'string' },
    });
    const principal = required(values.principal, '--principal', 'the IAM ARN or Entra object id to grant to');
    const asset = required(values.asset, '--asset', 'the asset bucket or storage account');
    const duration = durationMs(required(values.for, '--for', 'how long, e.g. 2h'));
    const reason = required(values.reason, '--reason', 'say why; it is recorded in the journal');
    const access = values.access ?? 'read';
    if (access !== 'read' && access !== 'write')
      throw new UsageError(`--access must be read or write, not "${access}"`);
    const { config } = loadConfigFile(values.config, { allowExample: false });
    const cloud = cloudOfTarget(principal, config);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + duration);
    const grantId = `${cloud}-grant-${now.toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${randomBytes(4).toString('hex')}`;
    const change: PostureChange =
      cloud === 'aws'
        ? awsGrantChange({
            config,
            principal,
            bucket: asset,
            ...(values.prefix ? { prefix: values.prefix } : {}),
            access,
            startsAt: now,
            expiresAt,
            grantId,
            reason,
            standingDeny: await standingDenyOf(config, principal, asset, io.err),
          })
        : azureGrantChange({
            config,
            principalId: principal.replace(/^(sp|mi|user):/, ''),
            principalType: principalType(values['principal-type']),
            asset,
            ...(values.container ? { container: values.container } : {}),
            access,
            startsAt: now,
            expiresAt,
            grantId,
            reason,
          });
    const { decision, alert } = changeDecision(change, config);
    io.err(describeDecision(decision));
    const { cliRuntime } = await import('../runtime.ts');
    const { respond } = await import('../../core/respond.ts');
    const runtime = await cliRuntime(cloud, config);
    const { report, failure } = await respond(
      {
        decision,
        alert,
        trigger: { kind: 'manual', approver: values.approver ?? process.env.USER ?? 'unknown', reason },
      },
      runtime.deps({ onProgress: (r) => io.err(describeResult(r)) }),
    );
    // Indexed even when an action failed: whatever was written must be taken back at expiry.
    if (report.status !== 'dry-run') await grantIndex(runtime.store).add(grantId, expiresAt.toISOString());
    io.out(JSON.stringify({ grantId, expiresAt: expiresAt.toISOString(), decision, report }, null, 2));
    if (failure) {
      io.err(
        `tourniquet grant: ${failure.message}; the timer takes back what was written at expiry, or: tourniquet release --incident ${grantId}`,
      );
      return EXIT.usage;
    }
    io.err(
      report.status === 'dry-run'
        ? '(dry run: the configuration mode is not "enforce"; nothing was granted)'
        : `granted until ${expiresAt.toISOString()}; end it early: tourniquet release --incident ${grantId} --reason …`,
    );
    return EXIT.ok;
  },
};

function durationMs(text: string): number {
  const m = /^(\d{1,4})(m|h)$/.exec(text.trim());
  if (!m) throw new UsageError(`--for must be minutes or hours, e.g. 30m or 2h, not "${text}"`);
  return Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 60_000);
}

function principalType(flag: string | undefined) {
  const t = flag ?? 'ServicePrincipal';
  if (t !== 'ServicePrincipal' && t !== 'User' && t !== 'Group')
    throw new UsageError(`--principal-type must be ServicePrincipal, User or Group, not "${t}"`);
  return t;
}

/**
 * The standing-access Deny a posture fix put on the principal for this bucket, read before
 * planning so the grant can open it; none in a dry run (no credentials needed then).
 */
async function standingDenyOf(
  config: Config,
  principal: string,
  bucket: string,
  progress: (l: string) => void,
): Promise<PolicyDocument | null> {
  if (config.mode !== 'enforce') return null;
  const { readStandingDeny } = await import('../../functions-aws/posture/standing-deny.ts');
  const deny = await readStandingDeny(principal, bucket, process.env.AWS_REGION ?? 'us-east-1');
  if (deny)
    progress(
      `(${principal} has Tourniquet's standing-access Deny on ${bucket}: the grant opens it until expiry)`,
    );
  return deny;
}
