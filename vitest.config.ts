import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // mediasoup workers and SQLite files: keep suites in separate processes, one core each.
    pool: 'forks',
    maxWorkers: 2,
  },
});
