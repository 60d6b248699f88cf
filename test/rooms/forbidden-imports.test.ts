import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenImports, roomFiles } from './import-rules.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('rooms: every part imports only itself and shared/', () => {
  it('finds no import across parts in the working tree', () => {
    const files = roomFiles(repoRoot);
    expect(files.length).toBeGreaterThan(200);
    expect(forbiddenImports(files)).toEqual([]);
  });

  it('names each kind of crossing: part to part, into launcher/, and a value into web/', () => {
    const files = [
      { path: 'worker/src/a.ts', text: "import { createApp } from '../../server/src/app.ts';\n" },
      { path: 'cli/src/b.ts', text: "const { x } = await import('../../launcher/runtime.ts');\n" },
      {
        path: 'scim-target/src/c.ts',
        text: "export type {\n  Config,\n} from '../../server/src/config.ts';\n",
      },
      { path: 'web/src/d.ts', text: "import { lookup } from '../../shared/src/store/stores.ts';\n" },
      { path: 'shared/src/store/stores.ts', text: "import { keys } from './keys.ts';\n" },
      { path: 'shared/src/store/keys.ts', text: 'export const keys = 1;\n' },
    ];
    expect(forbiddenImports(files).map(({ file, line, reason }) => ({ file, line, reason }))).toEqual([
      { file: 'worker/src/a.ts', line: 1, reason: 'worker/ imports only itself and shared/, not server' },
      {
        file: 'cli/src/b.ts',
        line: 1,
        reason: 'nothing imports launcher/: it starts the rooms, the rooms do not start it',
      },
      {
        file: 'scim-target/src/c.ts',
        line: 1,
        reason: 'scim-target/ imports only itself and shared/, not server',
      },
      {
        file: 'web/src/d.ts',
        line: 1,
        reason: 'web/ takes from shared/ types, and values only from modules that import no values',
      },
    ]);
  });

  it('lets launcher/ import every part, tests import test/, and web/ take types and plain values', () => {
    const files = [
      { path: 'launcher/runtime.ts', text: "import { createApp } from '../server/src/app.ts';\n" },
      { path: 'worker/src/q.test.ts', text: "import { testRedisUrl } from '../../test/support/redis.ts';\n" },
      { path: 'web/src/e.ts', text: "import type { Stores } from '../../shared/src/store/stores.ts';\n" },
      { path: 'web/src/f.ts', text: "import { keys } from '../../shared/src/store/keys.ts';\n" },
      { path: 'shared/src/store/stores.ts', text: "import { keys } from './keys.ts';\n" },
      {
        path: 'shared/src/store/keys.ts',
        text: "import type { X } from './x.ts';\nexport const keys = 1;\n",
      },
    ];
    expect(forbiddenImports(files)).toEqual([]);
  });
});
