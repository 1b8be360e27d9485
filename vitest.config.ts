import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the stand-in AWS scenario runs apart: npm run test:aws (vitest.aws.config.ts)
    exclude: ['test/aws/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB, s3rver, SMTP and Chromium tests start real processes; two cores cannot run many at once.
    maxWorkers: 2,
  },
});
