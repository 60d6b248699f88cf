import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { TaskStatus } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

/** Tasks of an app in one status (up to the API's page maximum; enough for one screen of decisions). */
export const useTasks = (appId: string, status: TaskStatus) =>
  useQuery({
    queryKey: queryKeys.tasks.list(appId, status),
    queryFn: async () => (await api.tasks.list(appId, { status, limit: 1000 })).items,
    refetchInterval: 2000,
  });
