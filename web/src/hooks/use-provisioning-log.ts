import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { LogFilters } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

/** Raw events per page. */
export const LOG_PAGE = 50;
/** Events read per page of pushes: a push is about four to six events. */
export const PUSH_READ = 200;

export const useProvisioningLog = (filters: LogFilters, cursor: string | null, limit: number) =>
  useQuery({
    queryKey: queryKeys.log.list(filters, cursor, limit),
    queryFn: () => api.log.list({ ...filters, cursor, limit }),
    placeholderData: keepPreviousData,
  });
