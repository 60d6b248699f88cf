import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { loadConfig } from '../config/env.ts';
import type { User } from '../types/directory.schema.ts';
import { createStores, type Stores } from './stores.ts';

// More users than one search chunk, so a search has to read on to fill its pages.
const USERS = 1203;
const EVERY_NTH_IS_A_NURSE = 100;

describe('UsersStore.list', () => {
  let redis: Redis;
  let stores: Stores;
  let created: User[];

  beforeAll(async () => {
    const config = loadConfig({ PROVISIM_KEY_PREFIX: uniquePrefix('users'), REDIS_URL: testRedisUrl() });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    stores = createStores(redis, config);
    created = [];
    for (let i = 0; i < USERS; i++)
      created.push(
        await stores.users.create({
          firstname: i % EVERY_NTH_IS_A_NURSE === 0 ? 'Florence' : 'Grace',
          lastname: `No${i}`,
          email: `user${i}@example.test`,
          username: `user${i}`,
        }),
      );
  });

  afterAll(async () => {
    await redis.quit();
  });

  async function allPages(limit: number, query?: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await stores.users.list({
        limit,
        ...(cursor ? { cursor } : {}),
        ...(query ? { query } : {}),
      });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((user) => user.id));
      pages++;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { ids, pages };
  }

  it('pages the whole directory, each user once, with no cursor after a full last page', async () => {
    const { ids, pages } = await allPages(401);
    // Creation order within one millisecond falls back to id order, so compare as sets.
    expect([...ids].sort()).toEqual(created.map((user) => user.id).sort());
    expect(pages).toBe(3);
  });

  it('fills each page of a search from as far into the directory as it takes', async () => {
    const nurses = created.filter((user) => user.firstname === 'Florence').map((user) => user.id);
    expect(nurses).toHaveLength(13);
    const { ids, pages } = await allPages(5, 'FLORENCE');
    expect([...ids].sort()).toEqual(nurses.sort());
    expect(pages).toBe(3);
  });

  it('answers a search with no match with an empty page and no cursor', async () => {
    expect(await stores.users.list({ limit: 50, query: 'nobody' })).toEqual({ items: [], nextCursor: null });
  });

  it('finds an exact email through the index', async () => {
    const page = await stores.users.list({ limit: 50, query: 'User1202@Example.test' });
    expect(page.items.map((user) => user.email)).toEqual(['user1202@example.test']);
  });
});
