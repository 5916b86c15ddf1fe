import type { IAMClient } from '@aws-sdk/client-iam';
import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { DenyInference, RevokeRoleSessions, RevokeUserSessions } from '../../packs/aws/actions.ts';
import { INLINE_POLICY_QUOTA } from '../../packs/aws/policies.ts';
import type { ClientsFor } from '../clients.ts';
import { awsCall, awsErrorCode } from '../errors.ts';
import { sameJson } from './same-json.ts';

/** The inline deny as it was before the first attempt: its document text, or null when absent. */
export interface InlinePolicyBefore {
  policyDocument: string | null;
}

/** An action that writes one inline Deny policy on a role or user (session revocation, inference deny). */
type InlineDenyAction = RevokeRoleSessions | RevokeUserSessions | DenyInference;

/** The three IAM calls that differ between roles and users. */
export interface InlinePolicyCalls<A extends InlineDenyAction> {
  principal: 'role' | 'user';
  nameOf(action: A): string;
  /** Resolves the URL-encoded document IAM returns; throws NoSuchEntity when absent. */
  get(iam: IAMClient, action: A): Promise<{ PolicyDocument?: string | undefined }>;
  put(iam: IAMClient, action: A, document: string): Promise<unknown>;
  remove(iam: IAMClient, action: A): Promise<unknown>;
  permissions: readonly string[];
  /** What the outcome says stays open (defaults to the session-revocation residual). */
  residual?: string;
}

/** Why the revocation is not instant, stated in every outcome so nobody over-trusts it. */
const RESIDUAL =
  'IAM changes propagate within seconds to minutes: until then live sessions can still act. ' +
  'The deny matches credentials with a token issue time; long-term access keys have none, so they are deactivated separately.';

/**
 * The console's "Revoke active sessions" as an executor: an inline Deny on every credential issued
 * before the incident, written with the exact document the plan carries. Undo deletes it.
 */
export function sessionRevocationExecutor<A extends InlineDenyAction>(
  clients: ClientsFor,
  calls: InlinePolicyCalls<A>,
): Executor<A, InlinePolicyBefore> {
  const quota = INLINE_POLICY_QUOTA[calls.principal];
  return {
    permissions: calls.permissions,

    // The policy's name is unique to the incident (`revokePolicyName`): before the claim it cannot exist.
    knownBefore: () => ({ policyDocument: null }),

    async read(action, ctx) {
      const { iam } = await clients(action.account, ctx.incidentId);
      const out = await awsCall(() => calls.get(iam, action), { NoSuchEntity: () => undefined });
      const text = out?.PolicyDocument;
      if (text === undefined) return { policyDocument: null };
      // IAM returns the document URL-encoded (RFC 3986, GetRolePolicy API Reference); tolerate an
      // SDK that already decoded it.
      return { policyDocument: text.trimStart().startsWith('{') ? text : decodeURIComponent(text) };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const document = JSON.stringify(action.params.policyDocument);
      const details = {
        policyName: action.params.policyName,
        issuedBefore:
          action.params.policyDocument.Statement[0]?.Condition?.DateLessThan?.['aws:TokenIssueTime'],
        // A shared workload role's one session (packs/aws/deny-scope.ts): the others keep working.
        ...('session' in action.params && action.params.session ? { session: action.params.session } : {}),
        residual: calls.residual ?? RESIDUAL,
      };
      if (before.policyDocument !== null && sameJson(before.policyDocument, document)) {
        return { outcome: 'already-applied', details };
      }
      const { iam } = await clients(action.account, ctx.incidentId);
      await awsCall(() => calls.put(iam, action, document), {
        LimitExceeded: (error) => quotaFull(calls.principal, calls.nameOf(action), quota, error),
        MalformedPolicyDocument: (error) => {
          if (/size|length|exceed|quota/i.test((error as Error).message ?? ''))
            return quotaFull(calls.principal, calls.nameOf(action), quota, error);
          throw error;
        },
        UnmodifiableEntity: (error) => {
          throw new ActionError(
            `${calls.principal} ${calls.nameOf(action)} cannot take inline policies (service-linked): ` +
              'its sessions cannot be revoked this way; restrict the service that uses it by hand',
            { cause: error },
          );
        },
        NoSuchEntity: (error) => {
          throw new ActionError(
            `${calls.principal} ${calls.nameOf(action)} does not exist in account ${action.account}: ` +
              'nothing to revoke; check whether it was deleted and by whom (CloudTrail)',
            { cause: error },
          );
        },
      });
      return { outcome: 'applied', details };
    },

    async undo(action, _before, ctx): Promise<Applied> {
      const { iam } = await clients(action.account, ctx.incidentId);
      const gone = await awsCall(
        async () => {
          await calls.remove(iam, action);
          return false;
        },
        { NoSuchEntity: () => true },
      );
      return gone
        ? { outcome: 'already-applied', details: { note: `${action.params.policyName} was already removed` } }
        : { outcome: 'applied', details: { removed: action.params.policyName } };
    },
  };
}

function quotaFull(principal: string, name: string, quota: number, cause: unknown): never {
  throw new ActionError(
    `the ${quota.toLocaleString('en-US')}-character aggregate inline policy quota of ${principal} ${name} is full ` +
      `(IAM: ${awsErrorCode(cause)}), so its sessions are NOT revoked. By hand: create a customer managed ` +
      `policy with the same document and attach it to the ${principal}, or remove an unneeded inline policy and retry`,
    { cause },
  );
}
