// esbuild plugins for the Lambda bundles (serverless.yml custom.esbuild.plugins).
const { join } = require('node:path');

/** Resolves the SDK's default credential chain to functions-aws/lambda-credentials.ts (env only). */
const lambdaCredentials = {
  name: 'lambda-env-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(__dirname, '..', 'functions-aws', 'lambda-credentials.ts'),
    }));
  },
};

module.exports = [lambdaCredentials];
