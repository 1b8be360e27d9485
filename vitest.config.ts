import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB, s3rver, SMTP and Chromium tests start real processes; two cores cannot run many at once.
    maxWorkers: 2,
  },
});
