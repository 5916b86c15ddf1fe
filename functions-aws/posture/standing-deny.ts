import { GetRolePolicyCommand, GetUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { parseIamArn } from '../../core/names.ts';
import type { PolicyDocument } from '../../packs/aws/policies.ts';
import { standingAccessPolicyName } from '../../packs/aws/posture/access-policies.ts';
import { awsCall } from '../errors.ts';

/** The `TourniquetStandingAccess-<bucket>` inline policy of a role or user, or null when it has none. */
export async function readStandingDeny(
  principal: string,
  bucket: string,
  region: string,
  iam: IAMClient = new IAMClient({ region }),
): Promise<PolicyDocument | null> {
  const arn = parseIamArn(principal);
  if (!arn || arn.type === 'root') return null;
  const PolicyName = standingAccessPolicyName(bucket);
  const out = await awsCall(
    (): Promise<{ PolicyDocument?: string | undefined }> =>
      arn.type === 'role'
        ? iam.send(new GetRolePolicyCommand({ RoleName: arn.name, PolicyName }))
        : iam.send(new GetUserPolicyCommand({ UserName: arn.name, PolicyName })),
    { NoSuchEntity: () => undefined },
  );
  const text = out?.PolicyDocument;
  if (!text) return null;
  return JSON.parse(text.trimStart().startsWith('{') ? text : decodeURIComponent(text)) as PolicyDocument;
}
