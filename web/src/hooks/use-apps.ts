import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

const LIVE_MS = 2000;

/** Rows per page where apps are listed (Applications, Overview). */
export const APPS_PAGE = 25;

/** Every app: apps are made by hand and each picker needs them all, so the console pages them itself. */
export const useApps = () =>
  useQuery({ queryKey: queryKeys.apps.all, queryFn: api.apps.list, refetchInterval: LIVE_MS });

export const useApp = (appId: string) =>
  useQuery({
    queryKey: queryKeys.apps.one(appId),
    queryFn: () => api.apps.get(appId),
    refetchInterval: LIVE_MS,
  });
