/**
 * Lambda always hands a function its role's credentials in environment variables, so the Lambda
 * bundles replace the SDK's default credential chain (SSO, web identity, INI files, IMDS — with
 * their nested STS/SSO clients) by the environment provider alone: the same credentials, ~20 ms
 * less cold start. build/esbuild-plugins.cjs swaps it in; the CLI keeps the full chain.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
