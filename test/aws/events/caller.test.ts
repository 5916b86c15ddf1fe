/**
 * Who made the call, from CloudTrail's `userIdentity` (CloudTrail User Guide, "CloudTrail userIdentity
 * element"): every identity type the guide lists, as the GetObject data event fixture's caller.
 */
import { describe, expect, it } from 'vitest';
import { parseAwsEvent } from '../../../functions-aws/events/index.ts';
import { ACCOUNT, MEMBER } from '../../support/config.ts';
import { alertsOf, fixture } from './fixtures.ts';

const getObject = () => fixture('events', 'cloudtrail-getobject.json');

describe('parseAwsEvent: the caller of a CloudTrail event', () => {
  it.each([
    [
      'an AWS service',
      { type: 'AWSService', invokedBy: 'sagemaker.amazonaws.com' },
      { id: 'sagemaker.amazonaws.com', kind: 'aws-service', certain: true },
    ],
    [
      'an anonymous caller',
      { type: 'AWSAccount', principalId: '', accountId: 'anonymous' },
      { id: 'anonymous', kind: 'anonymous' },
    ],
    [
      'a caller from another account',
      { type: 'AWSAccount', principalId: 'AIDAEXAMPLEOUTSIDER', accountId: MEMBER },
      { id: 'AIDAEXAMPLEOUTSIDER', kind: 'unknown', account: MEMBER, certain: false },
    ],
    [
      'a federated user',
      {
        type: 'FederatedUser',
        arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
        principalId: `${ACCOUNT}:bob`,
        accountId: ACCOUNT,
      },
      { id: `arn:aws:sts::${ACCOUNT}:federated-user/bob`, kind: 'federated-user', certain: false },
    ],
    [
      'root',
      { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT, accountId: ACCOUNT },
      { id: `arn:aws:iam::${ACCOUNT}:root`, kind: 'root', certain: true },
    ],
    [
      'a role of another account',
      {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${MEMBER}:assumed-role/partner-sync/s1`,
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${MEMBER}:role/partner-sync` } },
      },
      { id: `arn:aws:iam::${MEMBER}:role/partner-sync`, kind: 'role', account: MEMBER, certain: true },
    ],
    [
      'an Identity Center user',
      { type: 'IdentityCenterUser', accountId: ACCOUNT, onBehalfOf: { userId: 'x' } },
      { id: `IdentityCenterUser:${ACCOUNT}`, kind: 'unknown', certain: false },
    ],
  ])('names %s as the caller', (_name, userIdentity, principal) => {
    const e = getObject();
    e.detail.userIdentity = userIdentity;
    expect(alertsOf(parseAwsEvent(e))[0]?.principal).toMatchObject(principal);
  });
});
