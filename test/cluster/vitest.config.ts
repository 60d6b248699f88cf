import { defineConfig } from 'vitest/config';

/**
 * The core end-to-end tests and a short chaos run again, against a local Redis Cluster of 3 masters
 * (`npm test` runs this after the main suite).
 */
export default defineConfig({
  test: {
    include: [
      'test/core/walkthrough.test.ts',
      'test/core/apps-api.test.ts',
      'test/core/approval-queue.test.ts',
      'test/core/push-failures.test.ts',
      'test/core/deletion-safety.test.ts',
      'test/core/groups.test.ts',
      'test/core/push-limits.test.ts',
      'test/core/push-rate-limit.test.ts',
      'test/core/provision-now.test.ts',
      'test/reliability/lost-push-outcome.test.ts',
      'test/reliability/crash-before-plan.test.ts',
      'test/cluster/worker-reopen.test.ts',
      'test/cluster/chaos.test.ts',
      'test/cluster/live-tail.test.ts',
      'test/cluster/store-unavailable.test.ts',
    ],
    globalSetup: ['test/cluster/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
