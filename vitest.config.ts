import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/aws-mock-matchers.ts'],
    globalSetup: ['test/setup/cli-bundle.ts', 'test/setup/azurite.ts', 'test/setup/dynalite.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Handler logs stay out of the test output; test/aws/handlers/logs.test.ts turns them back on.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
