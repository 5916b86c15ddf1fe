import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  type IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { DenyStandingAccess, GrantAccess, InlinePolicyParams } from '../../packs/aws/actions.ts';
import type { ClientsFor } from '../clients.ts';
import { awsCall } from '../errors.ts';
import { sameJson } from './same-json.ts';

/** The named inline policy as it was before: its document text, or null when there was none. */
export interface PolicyBefore {
  policyDocument: string | null;
}

const calls = (
  iam: IAMClient,
  p: InlinePolicyParams,
): {
  get(): Promise<{ PolicyDocument?: string | undefined }>;
  put(doc: string): Promise<unknown>;
  remove(): Promise<unknown>;
} =>
  p.principalType === 'role'
    ? {
        get: () => iam.send(new GetRolePolicyCommand({ RoleName: p.name, PolicyName: p.policyName })),
        put: (doc: string) =>
          iam.send(
            new PutRolePolicyCommand({ RoleName: p.name, PolicyName: p.policyName, PolicyDocument: doc }),
          ),
        remove: () => iam.send(new DeleteRolePolicyCommand({ RoleName: p.name, PolicyName: p.policyName })),
      }
    : {
        get: () => iam.send(new GetUserPolicyCommand({ UserName: p.name, PolicyName: p.policyName })),
        put: (doc: string) =>
          iam.send(
            new PutUserPolicyCommand({ UserName: p.name, PolicyName: p.policyName, PolicyDocument: doc }),
          ),
        remove: () => iam.send(new DeleteUserPolicyCommand({ UserName: p.name, PolicyName: p.policyName })),
      };

export const INLINE_POLICY_PERMISSIONS = [
  'iam:GetRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:GetUserPolicy',
  'iam:PutUserPolicy',
  'iam:DeleteUserPolicy',
] as const;

/**
 * Writes one named inline policy with the exact document of the plan and undoes it by putting back
 * what was there (deleting it when there was nothing). Shared by `deny-standing-access` and
 * `grant-access`: the principal, its other policies and its keys are never touched.
 */
export function inlinePolicyExecutor<A extends DenyStandingAccess | GrantAccess>(
  clients: ClientsFor,
): Executor<A, PolicyBefore> {
  return {
    permissions: INLINE_POLICY_PERMISSIONS,

    async read(action, ctx) {
      const { iam } = await clients(action.account, ctx.incidentId);
      const out = await awsCall(() => calls(iam, action.params).get(), { NoSuchEntity: () => undefined });
      const text = out?.PolicyDocument;
      if (text === undefined) return { policyDocument: null };
      return { policyDocument: text.trimStart().startsWith('{') ? text : decodeURIComponent(text) };
    },

    async apply(action, before, ctx): Promise<Applied> {
      const p = action.params;
      const document = JSON.stringify(p.policyDocument);
      const details = {
        policyName: p.policyName,
        [p.principalType]: p.name,
        ...('expiresAt' in p ? { expiresAt: p.expiresAt } : {}),
      };
      if (before.policyDocument !== null && sameJson(before.policyDocument, document))
        return { outcome: 'already-applied', details };
      const { iam } = await clients(action.account, ctx.incidentId);
      await awsCall(() => calls(iam, p).put(document), {
        NoSuchEntity: (error) => {
          throw new ActionError(`${p.principalType} ${p.name} does not exist in account ${action.account}`, {
            cause: error,
          });
        },
        UnmodifiableEntity: (error) => {
          throw new ActionError(`${p.principalType} ${p.name} is service-linked: AWS manages its policies`, {
            cause: error,
          });
        },
        LimitExceeded: (error) => {
          throw new ActionError(
            `the inline policy quota of ${p.principalType} ${p.name} is full: nothing was written; remove an unneeded inline policy and retry`,
            { cause: error },
          );
        },
      });
      return { outcome: 'applied', details };
    },

    async undo(action, before, ctx): Promise<Applied> {
      const p = action.params;
      const { iam } = await clients(action.account, ctx.incidentId);
      if (before.policyDocument !== null) {
        await awsCall(() => calls(iam, p).put(before.policyDocument as string));
        return { outcome: 'applied', details: { restored: p.policyName } };
      }
      const gone = await awsCall(
        async () => {
          await calls(iam, p).remove();
          return false;
        },
        { NoSuchEntity: () => true },
      );
      return gone
        ? { outcome: 'already-applied', details: { note: `${p.policyName} was already removed` } }
        : { outcome: 'applied', details: { removed: p.policyName } };
    },
  };
}
