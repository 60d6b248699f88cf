import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { App } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

export const USERS_PAGE = 25;

export const useUsers = (query: string, cursor: string | null, limit = USERS_PAGE) =>
  useQuery({
    queryKey: queryKeys.users.list(query, cursor, limit),
    queryFn: () => api.users.list({ query, cursor, limit }),
    placeholderData: keepPreviousData,
  });

export const useUser = (userId: string) =>
  useQuery({
    queryKey: queryKeys.users.one(userId),
    queryFn: () => api.users.get(userId),
    retry: false,
    enabled: userId !== '',
  });

/** The apps that hold the user, each with the user's state there. */
export const useUserAssignments = (userId: string, apps: App[] | undefined) =>
  useQuery({
    queryKey: [...queryKeys.users.assignments(userId), apps?.map((app) => app.id) ?? []],
    enabled: apps !== undefined,
    refetchInterval: 2000,
    queryFn: async () => {
      const byId = new Map((apps ?? []).map((app) => [app.id, app]));
      return (await api.users.apps(userId)).items.flatMap(({ appId, ...appUser }) => {
        const app = byId.get(appId);
        return app ? [{ app, appUser }] : [];
      });
    },
  });
