import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property suites run seeded trajectories; each file bounds its own work.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
