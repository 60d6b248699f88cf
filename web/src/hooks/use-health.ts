import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

/** Redis and the number of live workers, as /api/health reports them. */
export const useHealth = () =>
  useQuery({ queryKey: queryKeys.health, queryFn: api.health, refetchInterval: 10_000 });
