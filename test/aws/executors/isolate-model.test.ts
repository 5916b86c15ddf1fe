/**
 * Model isolation through AWS Organizations (API Reference: CreatePolicy with Type
 * SERVICE_CONTROL_POLICY and the policy as JSON text in Content; AttachPolicy with PolicyId and
 * TargetId; DuplicatePolicyException / DuplicatePolicyAttachmentException when it exists;
 * ListPolicies with Filter; DetachPolicy, DeletePolicy).
 */
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  DuplicatePolicyAttachmentException,
  DuplicatePolicyException,
  ListPoliciesCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../core/errors.ts';
import { isolateModel } from '../../../functions-aws/executors/isolate-model.ts';
import { exfiltrationAlert, user } from '../../support/alerts.ts';
import { ACCOUNT, awsConfig } from '../../support/config.ts';
import { ctx, inputsOf, plannedOf } from './harness.ts';

const orgs = mockClient(OrganizationsClient);
afterEach(() => orgs.reset());
const MODEL = `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/k2a7sd9xk3mp`;
const client = new OrganizationsClient({ region: 'us-east-1' });
const $metadata = {};

function setup() {
  const alert = exfiltrationAlert({
    type: 'Impact:IAMUser/CostHarvesting',
    severity: 3,
    principal: user('ci-bot'),
    resources: [{ kind: 'model', id: MODEL }],
  });
  const config = awsConfig({ aws: { ...awsConfig().aws, inference: { isolateModels: [MODEL] } } });
  return { action: plannedOf('isolate-model', alert, config), executor: isolateModel(async () => client) };
}
const NAME = 'tourniquet-isolate-aws-guardduty-2b3172ce4970bdd3e9af';

describe('isolate-model', () => {
  it('creates the service control policy with the planned document and attaches it to the model’s account', async () => {
    const { action, executor } = setup();
    orgs.on(ListPoliciesCommand).resolves({ Policies: [] });
    orgs.on(CreatePolicyCommand).resolves({ Policy: { PolicySummary: { Id: 'p-examplescp1', Name: NAME } } });
    orgs.on(AttachPolicyCommand).resolves({});
    const before = await executor.read(action, ctx());
    expect(before).toEqual({ policyId: null });
    const out = await executor.apply(action, before, ctx());
    expect(inputsOf(orgs, CreatePolicyCommand)).toEqual([
      {
        Name: NAME,
        Type: 'SERVICE_CONTROL_POLICY',
        Description: 'Tourniquet: models closed to all but responders (1)',
        Content:
          '{"Version":"2012-10-17","Statement":[{"Sid":"TourniquetIsolateModel","Effect":"Deny",' +
          '"Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],' +
          `"Resource":["${MODEL}"],"Condition":{"ArnNotLike":{"aws:PrincipalArn":[` +
          `"arn:aws:iam::${ACCOUNT}:role/*/ir-responder","arn:aws:iam::${ACCOUNT}:role/ir-responder",` +
          `"arn:aws:iam::${ACCOUNT}:user/*/breakglass","arn:aws:iam::${ACCOUNT}:user/breakglass"]}}}]}`,
      },
    ]);
    expect(inputsOf(orgs, AttachPolicyCommand)).toEqual([{ PolicyId: 'p-examplescp1', TargetId: ACCOUNT }]);
    expect(out).toMatchObject({
      outcome: 'applied',
      details: { policyId: 'p-examplescp1', targetAccount: ACCOUNT },
    });
  });

  it('on a retry finds its own policy by name and reports the attachment already made', async () => {
    const { action, executor } = setup();
    orgs.on(ListPoliciesCommand).resolves({ Policies: [{ Id: 'p-examplescp1', Name: NAME }] });
    orgs.on(CreatePolicyCommand).rejects(new DuplicatePolicyException({ message: 'exists', $metadata }));
    orgs
      .on(AttachPolicyCommand)
      .rejects(new DuplicatePolicyAttachmentException({ message: 'attached', $metadata }));
    const out = await executor.apply(action, { policyId: null }, ctx());
    expect(out.outcome).toBe('already-applied');
    expect(orgs).not.toReceiveCommand(CreatePolicyCommand);
  });

  it('undoes by detaching and deleting exactly its own policy', async () => {
    const { action, executor } = setup();
    orgs.on(ListPoliciesCommand).resolves({
      Policies: [
        { Id: 'p-customer01', Name: 'deny-regions' },
        { Id: 'p-examplescp1', Name: NAME },
      ],
    });
    orgs.on(DetachPolicyCommand).resolves({});
    orgs.on(DeletePolicyCommand).resolves({});
    await executor.undo(action, { policyId: null }, ctx());
    expect(inputsOf(orgs, DetachPolicyCommand)).toEqual([{ PolicyId: 'p-examplescp1', TargetId: ACCOUNT }]);
    expect(inputsOf(orgs, DeletePolicyCommand)).toEqual([{ PolicyId: 'p-examplescp1' }]);
    const forged = { ...action, params: { ...action.params, policyName: 'deny-regions' } };
    await expect(executor.undo(forged, { policyId: null }, ctx())).rejects.toThrow(ActionError);
    expect(orgs).toReceiveCommandTimes(DeletePolicyCommand, 1);
  });

  it('fails clearly where the deployment has no Organizations access', async () => {
    const { action } = setup();
    await expect(isolateModel(undefined).read(action, ctx())).rejects.toThrow(/no Organizations access/);
  });
});
