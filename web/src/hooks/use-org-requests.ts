import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

export const useOrgRequests = (orgId: string) =>
  useQuery({
    queryKey: queryKeys.target.requests(orgId),
    queryFn: () => api.target.requests(orgId),
    refetchInterval: 2000,
  });
