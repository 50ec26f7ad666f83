import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { GoldenHost } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { goldenHostKey } from './get-golden-host';

export function setGoldenHost(group: string, hostId: string): Promise<GoldenHost> {
  return apiRequest<GoldenHost>(`/groups/${encodeURIComponent(group)}/golden-host`, { method: 'PUT', body: { hostId } });
}

export function useSetGoldenHost(group: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hostId: string) => setGoldenHost(group, hostId),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: goldenHostKey(group) });
      // Members of the group compare to the new golden host's baseline.
      void client.invalidateQueries({ queryKey: queryKeys.hosts });
    },
  });
}
