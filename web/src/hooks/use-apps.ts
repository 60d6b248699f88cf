import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

const LIVE_MS = 2000;

export const useApps = () =>
  useQuery({ queryKey: queryKeys.apps.all, queryFn: api.apps.list, refetchInterval: LIVE_MS });

export const useApp = (appId: string) =>
  useQuery({
    queryKey: queryKeys.apps.one(appId),
    queryFn: () => api.apps.get(appId),
    refetchInterval: LIVE_MS,
  });
