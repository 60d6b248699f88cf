import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** The bench harness's own tests: `npx vitest run --config bench/vitest.config.ts` (npm test leaves bench/ out). */
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  test: {
    include: ['bench/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
