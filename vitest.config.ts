import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,worker,scim-target,launcher,test,web,cli}/**/*.test.ts'],
    // test/cluster runs its own config (against a Redis Cluster): see test/cluster/vitest.config.ts.
    exclude: ['**/node_modules/**', 'bench/**', 'test/cluster/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
