import { defineConfig } from 'vitest/config';

// `npm run test:aws`: the bundled handlers against moto and the Athena stand-in (test/aws/), apart from `npm test`.
export default defineConfig({
  test: {
    include: ['test/aws/**/*.aws.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // one scenario at a time: each runs moto, DuckDB and two Lambda containers on a 2-core machine
    maxWorkers: 1,
    fileParallelism: false,
  },
});
