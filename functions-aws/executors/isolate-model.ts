import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  type OrganizationsClient,
  paginateListPolicies,
} from '@aws-sdk/client-organizations';
import { ActionError } from '../../core/errors.ts';
import type { Applied, Executor } from '../../core/executor.ts';
import type { IsolateModel } from '../../packs/aws/actions.ts';
import { ISOLATE_POLICY_PREFIX } from '../../packs/aws/inference-policies.ts';
import { awsCall } from '../errors.ts';

/** The isolating policy as it was before the first attempt: its id, or null when absent. */
export interface IsolationBefore {
  policyId: string | null;
}

/** Organizations from the home account (built on the first isolation only: most incidents never need one). */
export type OrganizationsFor = () => Promise<OrganizationsClient>;

const RESIDUAL =
  'Service control policies do not apply to the management account itself or to service-linked roles, and ' +
  'take effect within minutes; at most 5 may be attached to an account (Organizations quotas)';

/**
 * Closes leaking models to everyone but the responders: a service control policy named for the
 * incident (`CreatePolicy`, type SERVICE_CONTROL_POLICY) attached to the models' account
 * (`AttachPolicy`). Found again by name when a retry finds it created. Undo detaches and deletes it:
 * it is Tourniquet's own.
 */
export function isolateModel(
  organizations: OrganizationsFor | undefined,
): Executor<IsolateModel, IsolationBefore> {
  const client = async () => {
    if (!organizations)
      throw new ActionError(
        'aws.inference.isolateModels is configured but this deployment has no Organizations access: ' +
          'deploy Tourniquet in the management account or its delegated administrator for policies',
      );
    return organizations();
  };
  return {
    permissions: [
      'organizations:AttachPolicy',
      'organizations:CreatePolicy',
      'organizations:DeletePolicy',
      'organizations:DetachPolicy',
      'organizations:ListPolicies',
    ],

    // The policy's name is unique to the incident (`isolatePolicyName`): before the claim it cannot exist.
    knownBefore: () => ({ policyId: null }),

    async read(action) {
      return { policyId: await findPolicy(await client(), action.params.policyName) };
    },

    async apply(action, before): Promise<Applied> {
      const orgs = await client();
      const { policyName, policyDocument, targetAccount, modelArns } = action.params;
      let policyId = before.policyId ?? (await findPolicy(orgs, policyName));
      if (!policyId) {
        const created = await awsCall(
          () =>
            orgs.send(
              new CreatePolicyCommand({
                Name: policyName,
                Type: 'SERVICE_CONTROL_POLICY',
                Description: `Tourniquet: models closed to all but responders (${modelArns.length})`.slice(
                  0,
                  512,
                ),
                Content: JSON.stringify(policyDocument),
              }),
            ),
          { DuplicatePolicyException: () => undefined },
        );
        policyId = created?.Policy?.PolicySummary?.Id ?? (await findPolicy(orgs, policyName));
      }
      if (!policyId) throw new Error(`CreatePolicy ${policyName} answered no policy id`);
      const id = policyId;
      const attached = await awsCall(
        async () => {
          await orgs.send(new AttachPolicyCommand({ PolicyId: id, TargetId: targetAccount }));
          return true;
        },
        {
          DuplicatePolicyAttachmentException: () => false,
          ConstraintViolationException: (error) => {
            throw new ActionError(
              `cannot attach ${policyName} to account ${targetAccount} (${(error as Error).message}): ` +
                'it may already have 5 service control policies; isolate the models by hand',
              { cause: error },
            );
          },
        },
      );
      const details = { policyId: id, targetAccount, models: modelArns, residual: RESIDUAL };
      return { outcome: attached ? 'applied' : 'already-applied', details };
    },

    async undo(action): Promise<Applied> {
      // Defence in depth behind the plan guard: only a policy Tourniquet named is ever deleted.
      if (!action.params.policyName.startsWith(ISOLATE_POLICY_PREFIX))
        throw new ActionError(`refusing to delete ${action.params.policyName}: not a Tourniquet policy`);
      const orgs = await client();
      const id = await findPolicy(orgs, action.params.policyName);
      if (!id)
        return {
          outcome: 'already-applied',
          details: { note: `${action.params.policyName} was already removed` },
        };
      await awsCall(
        () => orgs.send(new DetachPolicyCommand({ PolicyId: id, TargetId: action.params.targetAccount })),
        {
          PolicyNotAttachedException: () => undefined,
        },
      );
      await awsCall(() => orgs.send(new DeletePolicyCommand({ PolicyId: id })), {
        PolicyNotFoundException: () => undefined,
      });
      return { outcome: 'applied', details: { removed: action.params.policyName } };
    },
  };
}

async function findPolicy(orgs: OrganizationsClient, name: string): Promise<string | null> {
  return awsCall(async () => {
    for await (const page of paginateListPolicies({ client: orgs }, { Filter: 'SERVICE_CONTROL_POLICY' })) {
      const hit = page.Policies?.find((p) => p.Name === name);
      if (hit?.Id) return hit.Id;
    }
    return null;
  });
}
