import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

const LIVE_MS = 5000;

export const useOrgs = () =>
  useQuery({ queryKey: queryKeys.target.orgs, queryFn: api.target.orgs, refetchInterval: LIVE_MS });

export const useOrg = (orgId: string) =>
  useQuery({
    queryKey: queryKeys.target.org(orgId),
    queryFn: () => api.target.org(orgId),
    refetchInterval: LIVE_MS,
  });
