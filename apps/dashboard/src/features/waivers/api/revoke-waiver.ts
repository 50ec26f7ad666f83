import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WaiverItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { invalidateAfterWaiverChange } from './invalidate';

export function revokeWaiver(id: string): Promise<WaiverItem> {
  return apiRequest<WaiverItem>(`/waivers/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useRevokeWaiver() {
  const client = useQueryClient();
  return useMutation({ mutationFn: revokeWaiver, onSuccess: () => invalidateAfterWaiverChange(client) });
}
