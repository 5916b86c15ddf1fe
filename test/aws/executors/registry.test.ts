/**
 * The registry as a whole: one executor per AWS action kind, each declaring real IAM actions. The
 * IAM simulator validates action names against AWS's Service Authorization Reference data, so a
 * typo or an API name that is not an IAM action (`s3:GetPublicAccessBlock`) is caught here.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { ASSUME_ROLE_PERMISSIONS } from '../../../functions-aws/clients.ts';
import { awsExecutors, executorPermissions } from '../../../functions-aws/executors/index.ts';
import { JOURNAL_STORE_PERMISSIONS } from '../../../functions-aws/journal-store.ts';
import { AWS_POSTURE_OPERATIONS } from '../../../packs/aws/posture/operations.ts';
import { ACCOUNT } from '../../support/config.ts';
import { homeClients } from './harness.ts';

const registry = awsExecutors(homeClients, { escalationBus: 'default', homeAccount: ACCOUNT });

async function isIamAction(action: string): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        action,
        principal: `arn:aws:iam::${ACCOUNT}:role/tourniquet`,
        resource: { resource: '*', accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: [
        {
          name: 'all',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return result.resultType !== 'error';
}

describe('awsExecutors', () => {
  it('has exactly one executor per AWS action kind and escalate', () => {
    expect(Object.keys(registry).sort()).toEqual([
      'copy-evidence',
      'deactivate-access-keys',
      'deactivate-bedrock-api-keys',
      'deny-inference',
      'deny-standing-access',
      'escalate',
      'grant-access',
      'isolate-model',
      'pin-objects',
      'quarantine-bucket',
      'revoke-role-sessions',
      'revoke-user-sessions',
    ]);
  });

  it.each(Object.entries(registry))('%s declares permissions', (_kind, executor) => {
    expect(executor.permissions.length).toBeGreaterThan(0);
    expect([...executor.permissions].sort()).toEqual([...new Set(executor.permissions)].sort());
  });

  it('declares only real IAM actions (executors, journal store, STS, posture reads)', async () => {
    const posture = Object.values(AWS_POSTURE_OPERATIONS).flatMap((o) => o.permissions);
    const all = [
      ...executorPermissions(registry),
      ...JOURNAL_STORE_PERMISSIONS,
      ...ASSUME_ROLE_PERMISSIONS,
      ...posture,
    ];
    const invalid = [];
    for (const action of all) if (!(await isIamAction(action))) invalid.push(action);
    expect(invalid).toEqual([]);
    expect(await isIamAction('s3:GetPublicAccessBlock')).toBe(false); // the oracle can say no
  });

  it('never asks for a delete of customer data, keys, users or roles', () => {
    const destructive = executorPermissions(registry).filter((p) =>
      /^(s3:DeleteObject|s3:DeleteBucket$|iam:DeleteAccessKey|iam:DeleteUser$|iam:DeleteRole$|iam:DeleteServiceSpecificCredential|iam:DeleteLoginProfile|s3:PutLifecycleConfiguration)/.test(
        p,
      ),
    );
    expect(destructive).toEqual([]);
  });
});
