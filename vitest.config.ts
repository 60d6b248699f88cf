import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,worker,scim-target,launcher,test,web,cli}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
