import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

export const useConnectors = () =>
  useQuery({ queryKey: queryKeys.connectors, queryFn: api.connectors, staleTime: Number.POSITIVE_INFINITY });
