import type { Config } from '../config/env.ts';
import type { RedisClient } from '../redis/connection.ts';
import { AppUsersStore } from './app-users.store.ts';
import { AppsStore } from './apps.store.ts';
import { AssignmentsStore } from './assignments.store.ts';
import { type StoreKeys, storeKeys } from './keys.ts';
import { ProvisioningLog } from './provisioning-log/provisioning-log.ts';
import { RolesStore } from './roles.store.ts';
import { TasksStore } from './tasks.store.ts';
import { UsersStore } from './users.store.ts';

export interface Stores {
  redis: RedisClient;
  keys: StoreKeys;
  users: UsersStore;
  roles: RolesStore;
  apps: AppsStore;
  appUsers: AppUsersStore;
  assignments: AssignmentsStore;
  tasks: TasksStore;
  log: ProvisioningLog;
}

/** Every store (data access only; transitions are the lifecycle's, shared/src/provisioning) over one connection, keys under `config.PROVISIM_KEY_PREFIX`. */
export function createStores(redis: RedisClient, config: Config): Stores {
  const keys = storeKeys(config.PROVISIM_KEY_PREFIX);
  const appUsers = new AppUsersStore(redis, keys);
  const tasks = new TasksStore(redis, keys);
  const log = new ProvisioningLog({
    redis,
    keyPrefix: config.PROVISIM_KEY_PREFIX,
    retention: {
      maxCount: config.PROVISIM_LOG_RETENTION_COUNT,
      maxAgeMs: config.PROVISIM_LOG_RETENTION_DAYS * 86_400_000,
    },
  });
  return {
    redis,
    keys,
    users: new UsersStore(redis, keys),
    roles: new RolesStore(redis, keys),
    apps: new AppsStore(redis, keys),
    appUsers,
    assignments: new AssignmentsStore(redis, keys),
    tasks,
    log,
  };
}
