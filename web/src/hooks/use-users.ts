import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { ApiError } from '../api/http.ts';
import type { App, AppUser } from '../api/types.ts';
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

/** The apps a user is assigned to: the API has no per-user listing, so each app is asked (404 = not assigned). */
export const useUserAssignments = (userId: string, apps: App[] | undefined) =>
  useQuery({
    queryKey: [...queryKeys.users.assignments(userId), apps?.map((app) => app.id) ?? []],
    enabled: apps !== undefined,
    refetchInterval: 2000,
    queryFn: async () => {
      const found = await Promise.all(
        (apps ?? []).map(async (app) => {
          try {
            return { app, appUser: await api.appUsers.get(app.id, userId) };
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return null;
            throw error;
          }
        }),
      );
      return found.filter((entry): entry is { app: App; appUser: AppUser } => entry !== null);
    },
  });
