import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

export const ORG_USERS_PAGE = 25;

/** One page of the people in a simulated Calendly org; polled so pushes show up without a reload. */
export const useOrgUsers = (orgId: string, query: string, cursor: string | null) =>
  useQuery({
    queryKey: queryKeys.target.users(orgId, query, cursor),
    queryFn: () => api.target.users(orgId, { query, cursor, limit: ORG_USERS_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: 2000,
  });
