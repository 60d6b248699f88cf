import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

/** One page of the org's request journal (oldest first); polled so new calls appear. */
export const useOrgRequests = (orgId: string, cursor: string | null) =>
  useQuery({
    queryKey: queryKeys.target.requests(orgId, cursor),
    queryFn: () => api.target.requests(orgId, cursor),
    placeholderData: keepPreviousData,
    refetchInterval: 2000,
  });
