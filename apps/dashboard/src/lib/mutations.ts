import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/**
 * A mutation that refreshes the queries under each of `keys` once it succeeds (or once it ends,
 * either way, with `when: 'settled'`); it resolves after the refresh is asked for.
 */
export function useRefreshingMutation<TData, TVariables = void>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  keys: QueryKey[],
  when: 'success' | 'settled' = 'success',
) {
  const client = useQueryClient();
  const refresh = () => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
  return useMutation({ mutationFn, ...(when === 'success' ? { onSuccess: refresh } : { onSettled: refresh }) });
}
