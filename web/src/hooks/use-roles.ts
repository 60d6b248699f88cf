import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from './query-keys.ts';

export const useRoles = () => useQuery({ queryKey: queryKeys.roles, queryFn: api.roles.list, retry: false });
