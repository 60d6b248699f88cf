import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { LogFilters } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

/** Pushes per outcome for a filter; the live tail refreshes it with the log (same query-key root). */
export const useLogSummary = (filters: LogFilters) =>
  useQuery({
    queryKey: queryKeys.log.summary(filters),
    queryFn: () => api.log.summary(filters),
    placeholderData: keepPreviousData,
  });
