import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { LogFilters } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

/** Raw events per page. */
export const LOG_PAGE = 50;
/** Pushes per page; the API keeps each push whole on one page. */
export const PUSH_PAGE = 25;

export const useProvisioningLog = (filters: LogFilters, cursor: string | null, enabled: boolean) =>
  useQuery({
    queryKey: queryKeys.log.list(filters, cursor, LOG_PAGE),
    queryFn: () => api.log.list({ ...filters, cursor, limit: LOG_PAGE }),
    placeholderData: keepPreviousData,
    enabled,
  });

export const useLogPushes = (filters: LogFilters, cursor: string | null, enabled: boolean) =>
  useQuery({
    queryKey: queryKeys.log.pushPage(filters, cursor),
    queryFn: () => api.log.pushes({ ...filters, cursor, limit: PUSH_PAGE }),
    placeholderData: keepPreviousData,
    enabled,
  });
