import type { Config } from './config.ts';

/**
 * The configuration with the deployment's own identities added to the responders, so every path
 * that guards responders (the decision, the quarantine exemption, the plan guard, posture) guards
 * them too, whether it runs in the deployed function or in `tourniquet plan` / `contain` on a
 * workstation: `aws.ownRoles` and `azure.ownIdentities` (parseConfig applies it). The deployed
 * functions add the role or identity they run as on top; the CLI adds the member roles
 * (`withMemberRoles`).
 */
export function withOwnIdentities(config: Config): Config {
  const out = config.aws ? withAwsResponders(config, config.aws.ownRoles) : config;
  if (!out.azure) return out;
  const { responders, ownIdentities } = out.azure;
  const known = new Set(responders.map((r) => r.toLowerCase()));
  const added = ownIdentities.filter(
    (id, i) => !known.has(id.toLowerCase()) && ownIdentities.indexOf(id) === i,
  );
  return added.length ? { ...out, azure: { ...out.azure, responders: [...responders, ...added] } } : out;
}

/**
 * The member role (`aws.memberRoleName`) in every configured account as a responder: what the
 * deployed function adds for itself (functions-aws/clients.ts), for CLI runs on a workstation.
 */
export function withMemberRoles(config: Config): Config {
  const name = config.aws?.memberRoleName;
  if (!config.aws || !name) return config;
  return withAwsResponders(
    config,
    config.aws.accounts.map((a) => `arn:aws:iam::${a}:role/${name}`),
  );
}

function withAwsResponders(config: Config, arns: readonly string[]): Config {
  if (!config.aws) return config;
  const { responders } = config.aws;
  const added = arns.filter((arn, i) => !responders.includes(arn) && arns.indexOf(arn) === i);
  return added.length ? { ...config, aws: { ...config.aws, responders: [...responders, ...added] } } : config;
}
