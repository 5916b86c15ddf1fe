import { statements, strings } from './policy-document.ts';

/**
 * AWS managed policies that make a principal an administrator: AdministratorAccess directly,
 * IAMFullAccess because it lets the holder grant itself anything.
 */
export const ADMIN_MANAGED_POLICIES = [
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
];
const POWER_USER = 'arn:aws:iam::aws:policy/PowerUserAccess';

/** What attaching a managed policy grants, as facts for the alert's context. */
export function managedPolicyFacts(policyArn: string): Record<string, unknown> {
  const grantsAdmin = ADMIN_MANAGED_POLICIES.includes(policyArn);
  if (policyArn === POWER_USER) {
    return {
      grantsAdmin,
      note: 'PowerUserAccess allows every service except IAM and Organizations: not admin, but broad',
    };
  }
  return { grantsAdmin };
}

/**
 * Does an inline policy allow everything? An Allow of `*` or `iam:*` (which can grant the rest) on
 * resource `*`, or an Allow with `NotAction` on `*` (everything but a few actions), counts as admin.
 */
export function inlinePolicyGrantsAdmin(document: unknown, where: string): boolean {
  return statements(document, where).some((s) => {
    if (s.Effect !== 'Allow' || !strings(s.Resource).includes('*')) return false;
    if (s.NotAction !== undefined) return true;
    return strings(s.Action).some((a) => a === '*' || a.toLowerCase() === 'iam:*');
  });
}
