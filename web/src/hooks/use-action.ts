import { type UseMutationResult, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiError } from '../api/http.ts';

/**
 * A user action against the API. Any change can move counts, states, the log and the
 * walkthrough at once, so a success refreshes every query on screen and drops the cached
 * pages that are not, so a screen opened next (the list after a delete) never shows the
 * state from before the change.
 */
export const useAction = <TVariables = void, TResult = unknown>(
  run: (variables: TVariables) => Promise<TResult>,
): UseMutationResult<TResult, ApiError, TVariables> => {
  const queryClient = useQueryClient();
  return useMutation<TResult, ApiError, TVariables>({
    mutationFn: run,
    onSettled: () => {
      queryClient.removeQueries({ type: 'inactive' });
      return queryClient.invalidateQueries();
    },
  });
};
