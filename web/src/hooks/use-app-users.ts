import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { AppUserState } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

export const APP_USERS_PAGE = 50;

/** The app's users; polled, because the workers change their states in the background. */
export const useAppUsers = (appId: string, state: AppUserState | undefined, cursor: string | null) =>
  useQuery({
    queryKey: queryKeys.appUsers.list(appId, state, cursor),
    queryFn: () => api.appUsers.list(appId, { state, cursor, limit: APP_USERS_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: 2000,
  });
