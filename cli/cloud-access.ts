import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../core/config.ts';
import { TourniquetError } from '../core/errors.ts';

/** The CLI could not act in a cloud as anyone (exit 5): the message says how to sign in. */
export class CloudAccessError extends TourniquetError {
  override name = 'CloudAccessError';
}

const AWS_NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
const AWS_BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
]);
const AZURE_NO_CREDENTIALS = new Set([
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
  'AuthenticationError',
]);

/**
 * What to tell a responder when a cloud SDK could not authenticate: which credential chain was
 * tried and the ways to sign in (AWS: `aws sso login`, CloudShell, assuming the responder role;
 * Azure: `az login`, a managed identity). Recognised by the SDKs' error names, so no SDK is loaded;
 * anything else is not a sign-in problem and stays as it is.
 */
export function cloudAccessProblem(
  error: unknown,
  config?: Config,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const message = error.message.split('\n')[0] ?? '';
  const role = config?.aws?.responders.find((r) => /^arn:aws:iam::\d{12}:role\/[^*]+$/.test(r)) ?? 'ROLE_ARN';
  const awsFix = AWS_FIX.replace('ROLE_ARN', role);
  if (AWS_NO_CREDENTIALS.has(error.name))
    return `no usable AWS credentials (${message}).\n${awsChain(env)}\nNothing was changed.\n${awsFix}`;
  if (AWS_BAD_CREDENTIALS.has(error.name))
    return `AWS refused the credentials in use (${error.name}: ${message}): they expired or are not valid.\nNothing was changed.\n${awsFix}`;
  if (AZURE_NO_CREDENTIALS.has(error.name)) {
    const fix = AZURE_FIX.replace('TENANT_ID', config?.azure?.tenantId ?? 'TENANT_ID').replace(
      'SUBSCRIPTION_ID',
      config?.azure?.subscriptions[0] ?? 'SUBSCRIPTION_ID',
    );
    return `no usable Azure credentials (${error.name}).\n${AZURE_CHAIN}\nNothing was changed.\n${fix}`;
  }
  return undefined;
}

function awsChain(env: NodeJS.ProcessEnv): string {
  const profile = env.AWS_PROFILE || 'default';
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
  ];
  const found = files.filter((f) => existsSync(f));
  return [
    'The default AWS credential chain tried, in order:',
    `  - environment variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (${env.AWS_ACCESS_KEY_ID ? 'set' : 'not set'})`,
    `  - profile "${profile}" (AWS_PROFILE) in ${files.join(' and ')} (${found.length ? `found ${found.join(', ')}` : 'neither exists'}), with its SSO session if it has one`,
    `  - web identity (AWS_WEB_IDENTITY_TOKEN_FILE ${env.AWS_WEB_IDENTITY_TOKEN_FILE ? 'set' : 'not set'})`,
    `  - the container and EC2 instance metadata services${env.AWS_EC2_METADATA_DISABLED === 'true' ? ' (instance metadata disabled by AWS_EC2_METADATA_DISABLED)' : ''}`,
  ].join('\n');
}

const AWS_FIX = `Sign in as a responder, then run the command again:
  - IAM Identity Center: aws sso login --profile NAME && export AWS_PROFILE=NAME
  - or open AWS CloudShell in the home account (its credentials are already there) and run it there
  - or assume the responder role: aws sts assume-role --role-arn ROLE_ARN --role-session-name "ir-$USER"
    and export its AccessKeyId, SecretAccessKey and SessionToken as AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (a role from aws.responders)`;

const AZURE_CHAIN =
  'DefaultAzureCredential tried, in order: environment variables (AZURE_CLIENT_ID, AZURE_TENANT_ID, ' +
  'AZURE_CLIENT_SECRET or a certificate), workload identity, a managed identity, the Azure CLI ' +
  '(az), Azure PowerShell and the Azure Developer CLI (azd).';

const AZURE_FIX = `Sign in as a responder, then run the command again:
  - az login --tenant TENANT_ID && az account set --subscription SUBSCRIPTION_ID
  - or run it from Azure Cloud Shell, or on a VM or container with a managed identity listed in azure.responders
    (AZURE_CLIENT_ID selects a user-assigned one)`;
