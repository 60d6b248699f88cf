import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsStore } from '../../../shared/src/store/apps.store.ts';
import { storeKeys } from '../../../shared/src/store/keys.ts';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { AppCache } from './app-cache.ts';

describe('AppCache', () => {
  let redis: Redis;
  let keys: ReturnType<typeof storeKeys>;
  let apps: AppsStore;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
    keys = storeKeys(uniquePrefix('app-cache'));
    apps = new AppsStore(redis, keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  const store = (name: string) => redis.set(keys.app('a1'), JSON.stringify({ id: 'a1', name }));

  it('answers the record it read until invalidated, then reads the current one', async () => {
    const cache = new AppCache(apps, 60_000);
    await store('first');
    expect((await cache.find('a1'))?.name).toBe('first');
    await store('second');
    expect((await cache.find('a1'))?.name).toBe('first');
    cache.invalidate('a1');
    expect((await cache.find('a1'))?.name).toBe('second');
    await redis.del(keys.app('a1'));
    cache.invalidate('a1');
    expect(await cache.find('a1')).toBeNull();
  });

  it('re-reads once its entries expire', async () => {
    const cache = new AppCache(apps, 0);
    await store('first');
    expect((await cache.find('a1'))?.name).toBe('first');
    await store('second');
    expect((await cache.find('a1'))?.name).toBe('second');
  });
});
