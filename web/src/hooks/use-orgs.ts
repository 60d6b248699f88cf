import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

const LIVE_MS = 5000;

export const ORGS_PAGE = 25;

/** One page of the simulated orgs: every test run may add its own, so the list is paged by the API. */
export const useOrgs = (cursor: string | null) =>
  useQuery({
    queryKey: queryKeys.target.orgs(cursor),
    queryFn: () => api.target.orgs({ cursor, limit: ORGS_PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });

/** Every org, for the walkthrough, which looks for the one the Calendly app points at. */
export const useAllOrgs = () =>
  useQuery({ queryKey: queryKeys.target.allOrgs, queryFn: api.target.allOrgs, refetchInterval: LIVE_MS });

export const useOrg = (orgId: string) =>
  useQuery({
    queryKey: queryKeys.target.org(orgId),
    queryFn: () => api.target.org(orgId),
    refetchInterval: LIVE_MS,
  });
