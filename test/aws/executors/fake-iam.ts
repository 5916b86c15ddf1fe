import * as IAM from '@aws-sdk/client-iam';
import { simulatedIam } from '../../../sim/aws/iam.ts';
import { mockedBy } from '../../support/aws-fakes.ts';

/** The IAM simulator (sim/aws/iam.ts) on every IAMClient, through aws-sdk-client-mock. */
export function fakeIam() {
  const sim = simulatedIam();
  return { ...sim, ...mockedBy(IAM.IAMClient, IAM as unknown as Record<string, unknown>, sim.handlers) };
}
