import type { Action } from './actions.ts';
import type { PolicyStatement } from './aws/policies.ts';
import type { Config } from './config.ts';
import { TourniquetError } from './errors.ts';
import type { IncidentState } from './journal.ts';
import { guardedBy } from './principal-match.ts';

/** The journal of an incident does not hold up: nothing is done from it. */
export class JournalIntegrityError extends TourniquetError {
  override name = 'JournalIntegrityError';
}

/**
 * Checks a plan read back from the journal before anything acts on it (resume, release). The
 * journal is write-once and only Tourniquet's role may write it, but a plan from storage is input
 * like any other: whatever it says, Tourniquet never revokes a guarded principal, never writes an
 * Allow (but the time-bound S3 Allow of a just-in-time grant on an asset bucket), and never copies
 * evidence anywhere but the configured evidence store.
 */
export function assertTrustworthy(state: IncidentState, incidentId: string, config: Config): void {
  const problems = [...state.anomalies];
  if (state.record.incidentId !== incidentId) problems.push(`incident.json names ${state.record.incidentId}`);
  for (const action of state.record.decision.actions) problems.push(...check(action, config));
  if (problems.length) {
    throw new JournalIntegrityError(
      `the journal of incident ${incidentId} fails its checks, so nothing was done from it: ${problems.join('; ')}. ` +
        'Investigate who wrote to the evidence store.',
    );
  }
}

function check(action: Action, config: Config): string[] {
  const where = `${action.id} ${action.kind}`;
  const guarded = [
    ...(config.aws?.responders ?? []),
    ...(config.aws?.protectedPrincipals ?? []),
    ...(config.azure?.responders ?? []),
    ...(config.azure?.protectedPrincipals ?? []),
  ];
  const target = { id: action.target, kind: 'unknown' as const, account: '', aliases: [], certain: true };
  const out: string[] = [];
  if ((action.category === 'revoke' || action.category === 'grant') && guardedBy(guarded, target))
    out.push(`${where} targets a guarded principal`);
  switch (action.kind) {
    case 'revoke-role-sessions':
    case 'revoke-user-sessions':
      if (!allDeny(action.params.policyDocument?.Statement))
        out.push(`${where} writes a policy that is not Deny-only`);
      break;
    case 'quarantine-bucket':
      if (!allDeny([action.params.statement])) out.push(`${where} writes a statement that is not a Deny`);
      break;
    case 'copy-evidence':
      if (action.params.evidenceBucket !== config.aws?.evidenceBucket) {
        out.push(`${where} copies to ${action.params.evidenceBucket}, not the evidence bucket`);
      }
      break;
    case 'deny-standing-access':
      if (!allDeny(action.params.policyDocument?.Statement))
        out.push(`${where} writes a policy that is not Deny-only`);
      break;
    case 'grant-access':
      out.push(...timeBoundGrant(action.params, config).map((p) => `${where} ${p}`));
      break;
    case 'grant-role':
      out.push(...assetRoleGrant(action.params, config).map((p) => `${where} ${p}`));
      break;
    case 'copy-blob-evidence': {
      const evidence = config.azure?.evidence;
      const same =
        action.params.evidenceStorageAccountId.toLowerCase() === evidence?.storageAccount.toLowerCase() &&
        action.params.evidenceContainer === evidence?.container;
      if (!same) out.push(`${where} copies outside the evidence container`);
      break;
    }
  }
  return out;
}

const S3_ARN = /^arn:aws:s3:::([^/*?]+)(\/.*)?$/;

/** A grant's Allows are S3 actions on asset buckets that end at its expiry; its Denies reopen then. */
function timeBoundGrant(
  p: { expiresAt: string; policyDocument?: { Statement?: PolicyStatement[] } },
  config: Config,
): string[] {
  const assets = new Set((config.aws?.assets ?? []).map((a) => a.bucket));
  const statements = p.policyDocument?.Statement ?? [];
  if (!statements.length) return ['writes an empty policy'];
  const out: string[] = [];
  for (const s of statements) {
    const actions = [s.Action ?? []].flat();
    const resources = [s.Resource ?? []].flat();
    if (s.Effect === 'Allow') {
      if (s.Condition?.DateLessThan?.['aws:CurrentTime'] !== p.expiresAt)
        out.push('writes an Allow that does not end at its expiry');
      if (s.NotAction || s.NotResource || !actions.every((a) => /^s3:[A-Za-z]+$/.test(String(a))))
        out.push('writes an Allow beyond named S3 actions');
      if (!resources.every((r) => assets.has(S3_ARN.exec(String(r))?.[1] ?? '')))
        out.push('writes an Allow outside the asset buckets');
    } else if (s.Effect !== 'Deny') out.push('writes a statement that is neither Allow nor Deny');
  }
  return out;
}

/** A grant gives only the blob data roles, only on an asset account or its containers. */
function assetRoleGrant(p: { roleDefinitionId: string; scope: string }, config: Config): string[] {
  const roles = ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'];
  const out: string[] = [];
  if (!roles.some((r) => p.roleDefinitionId.toLowerCase().endsWith(`/roledefinitions/${r}`)))
    out.push('grants a role other than Storage Blob Data Reader or Contributor');
  const scope = p.scope.toLowerCase();
  const onAsset = (config.azure?.assets ?? []).some((a) => {
    const id = a.storageAccount.toLowerCase();
    return scope === id || scope.startsWith(`${id}/blobservices/default/containers/`);
  });
  if (!onAsset) out.push('grants outside the asset storage accounts');
  return out;
}

function allDeny(statements: PolicyStatement[] | undefined): boolean {
  return Array.isArray(statements) && statements.length > 0 && statements.every((s) => s?.Effect === 'Deny');
}
