import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

/** People in the simulated Calendly org; polled so pushes show up without a reload. */
export const useOrgUsers = (orgId: string | undefined) =>
  useQuery({
    queryKey: queryKeys.target.users(orgId ?? ''),
    queryFn: () => api.target.users(orgId ?? ''),
    enabled: orgId !== undefined,
    refetchInterval: 2000,
  });
