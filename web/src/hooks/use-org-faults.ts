import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

export const useOrgFaults = (orgId: string) =>
  useQuery({ queryKey: queryKeys.target.faults(orgId), queryFn: () => api.target.faults(orgId) });
