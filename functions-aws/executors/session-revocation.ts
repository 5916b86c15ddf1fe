import {
  CreatePolicyCommand,
  DeletePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
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
  /**
   * The way around a full inline quota: a customer managed policy with the same document under
   * `/tourniquet/`, named like the inline policy, attached to the principal (detached and deleted
   * on release). Without it a full quota fails the action.
   */
  managed?: {
    attach(iam: IAMClient, action: A, policyArn: string): Promise<unknown>;
    detach(iam: IAMClient, action: A, policyArn: string): Promise<unknown>;
  };
}

/** Where Tourniquet's managed fallback policies live; nothing else is written there. */
export const MANAGED_POLICY_PATH = '/tourniquet/';
export const MANAGED_POLICY_PERMISSIONS = [
  'iam:CreatePolicy',
  'iam:DeletePolicy',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
] as const;
const managedArn = (account: string, name: string) =>
  `arn:aws:iam::${account}:policy${MANAGED_POLICY_PATH}${name}`;

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
      const full = (error: unknown): 'full' => {
        if (calls.managed) return 'full';
        return quotaFull(calls.principal, calls.nameOf(action), quota, error);
      };
      const inline = await awsCall(
        async () => {
          await calls.put(iam, action, document);
          return 'written' as const;
        },
        {
          LimitExceeded: full,
          MalformedPolicyDocument: (error) => {
            if (/size|length|exceed|quota/i.test((error as Error).message ?? '')) return full(error);
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
        },
      );
      if (inline === 'written' || !calls.managed)
        return { outcome: 'applied', details: { ...details, path: 'inline' } };
      const arn = await attachManaged(
        iam,
        action,
        document,
        calls as InlinePolicyCalls<A> & Required<Pick<InlinePolicyCalls<A>, 'managed'>>,
      );
      return {
        outcome: 'applied',
        details: {
          ...details,
          path: 'managed-policy',
          managedPolicyArn: arn,
          pathReason: `the ${quota.toLocaleString('en-US')}-character aggregate inline policy quota of ${calls.principal} ${calls.nameOf(action)} is full`,
        },
      };
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
      if (!gone) return { outcome: 'applied', details: { removed: action.params.policyName } };
      // No inline policy: the revocation may have taken the managed path.
      if (calls.managed) {
        const arn = managedArn(action.account, action.params.policyName);
        const managed = calls.managed;
        const detached = await awsCall(
          async () => {
            await managed.detach(iam, action, arn);
            return true;
          },
          {
            NoSuchEntity: () => false,
          },
        );
        const deleted = await awsCall(
          async () => {
            await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
            return true;
          },
          {
            NoSuchEntity: () => false,
          },
        );
        if (detached || deleted) return { outcome: 'applied', details: { removed: arn } };
      }
      return {
        outcome: 'already-applied',
        details: { note: `${action.params.policyName} was already removed` },
      };
    },
  };
}

/**
 * Creates (or, on a retry, finds) the managed policy with the plan's document and attaches it. A
 * policy of that name with another document is not Tourniquet's to attach: the action fails.
 */
async function attachManaged<A extends InlineDenyAction>(
  iam: IAMClient,
  action: A,
  document: string,
  calls: InlinePolicyCalls<A> & Required<Pick<InlinePolicyCalls<A>, 'managed'>>,
): Promise<string> {
  const name = action.params.policyName;
  const arn = managedArn(action.account, name);
  const created = await awsCall(
    async () => {
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: MANAGED_POLICY_PATH,
          PolicyDocument: document,
          Description:
            'Tourniquet: session revocation (the inline policy quota was full); removed on release',
        }),
      );
      return true;
    },
    { EntityAlreadyExists: () => false },
  );
  if (!created) {
    const policy = await awsCall(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    const version = await awsCall(() =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId })),
    );
    const text = version.PolicyVersion?.Document;
    const decoded =
      text === undefined ? undefined : text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
    if (decoded === undefined || !sameJson(decoded, document))
      throw new ActionError(
        `the inline policy quota of ${calls.principal} ${calls.nameOf(action)} is full and a managed policy ${arn} ` +
          'exists with another document: nothing attached, its sessions are NOT revoked; inspect that policy by hand',
      );
  }
  await awsCall(() => calls.managed.attach(iam, action, arn), {
    LimitExceeded: (error) => {
      throw new ActionError(
        `both the inline policy quota and the managed policy quota of ${calls.principal} ${calls.nameOf(action)} are full: ` +
          `its sessions are NOT revoked; ${arn} was created but not attached. Detach an unneeded managed policy and retry`,
        { cause: error },
      );
    },
  });
  return arn;
}

function quotaFull(principal: string, name: string, quota: number, cause: unknown): never {
  throw new ActionError(
    `the ${quota.toLocaleString('en-US')}-character aggregate inline policy quota of ${principal} ${name} is full ` +
      `(IAM: ${awsErrorCode(cause)}), so its sessions are NOT revoked. By hand: create a customer managed ` +
      `policy with the same document and attach it to the ${principal}, or remove an unneeded inline policy and retry`,
    { cause },
  );
}
