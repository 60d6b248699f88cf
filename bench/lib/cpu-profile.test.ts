import { describe, expect, it } from 'vitest';
import { byFunction, byOwner, inclusiveProfile, ownerOf, summariseProfile } from './cpu-profile.ts';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

// root -> handler (repo) -> send (ioredis); root -> (idle)
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
    {
      id: 2,
      callFrame: frame('handler', 'file:///work/main/server/src/services/a.service.ts'),
      children: [3],
    },
    { id: 3, callFrame: frame('send', 'file:///work/main/node_modules/ioredis/built/Redis.js') },
    { id: 4, callFrame: frame('(idle)', '') },
  ],
  samples: [2, 3, 3, 3, 4, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 5000, 5000],
};

describe('cpu-profile', () => {
  it('names the owner of a frame: npm package, node internals or repository file', () => {
    expect(ownerOf('file:///x/node_modules/@scope/pkg/lib/a.js')).toBe('@scope/pkg');
    expect(ownerOf('node:internal/streams/writable')).toBe('node internals');
    expect(ownerOf('file:///work/main/worker/src/processors/sync-user.processor.ts')).toBe(
      'worker/src/processors/sync-user.processor.ts',
    );
    expect(ownerOf('')).toBe('(native/gc/idle)');
  });

  it('sums self time by key, leaving idle out of the busy share', () => {
    expect(summariseProfile(profile, byOwner)).toEqual([
      { name: 'ioredis', ms: 3, share: 0.75 },
      { name: 'server/src/services/a.service.ts', ms: 1, share: 0.25 },
    ]);
  });

  it('counts a frame once per sample in inclusive time, callers included', () => {
    const inclusive = inclusiveProfile(profile, byFunction);
    expect(inclusive.find((t) => t.name.startsWith('handler'))).toMatchObject({ ms: 4, share: 1 });
    expect(inclusive.find((t) => t.name.startsWith('send'))).toMatchObject({ ms: 3, share: 0.75 });
  });
});
