import { createRedis } from '../../shared/src/redis/connection.ts';
import { storeKeys } from '../../shared/src/store/keys.ts';
import { UsersStore } from '../../shared/src/store/users.store.ts';
import { mapLimit } from '../../test/support/map-limit.ts';

/**
 * Directory users `bench-<tag>-<i>@example.test`, written straight through the CORE's UsersStore
 * (the same code POST /api/users runs, without HTTP) on an auto-pipelined connection of its own:
 * seeding 100,000 users is setup, not a figure.
 */
export async function seedDirectoryUsers(
  redisUrl: string,
  keyPrefix: string,
  tag: string,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const connection = createRedis(redisUrl, 'worker', { enableAutoPipelining: true });
  const users = new UsersStore(connection, storeKeys(keyPrefix));
  try {
    return await mapLimit(
      Array.from({ length: count }, (_, i) => i),
      concurrency,
      async (i) => {
        const user = await users.create({
          firstname: 'Bench',
          lastname: `User ${i}`,
          email: `bench-${tag}-${i}@example.test`,
        });
        return user.id;
      },
    );
  } finally {
    connection.disconnect();
  }
}
