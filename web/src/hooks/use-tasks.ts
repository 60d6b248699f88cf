import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { TaskStatus } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

/** The API's page maximum: useTasks reads one page of this size. */
const TASKS_READ = 1000;

/** How many tasks there are: the list read is exact until it fills its page, then only the app's count knows. */
export const taskTotal = (read: readonly unknown[] | undefined, counted: number): number =>
  read && read.length < TASKS_READ ? read.length : counted;

/** Tasks of an app in one status (up to the API's page maximum; enough for one screen of decisions). */
export const useTasks = (appId: string, status: TaskStatus) =>
  useQuery({
    queryKey: queryKeys.tasks.list(appId, status),
    queryFn: async () => (await api.tasks.list(appId, { status, limit: TASKS_READ })).items,
    refetchInterval: 2000,
  });
