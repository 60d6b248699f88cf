import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { LogFilters } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

export const LOG_PAGE = 50;

export const useProvisioningLog = (filters: LogFilters, cursor: string | null) =>
  useQuery({
    queryKey: queryKeys.log.list(filters, cursor),
    queryFn: () => api.log.list({ ...filters, cursor, limit: LOG_PAGE }),
    placeholderData: keepPreviousData,
  });
