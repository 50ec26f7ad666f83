import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WaiverCreate, WaiverItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { invalidateAfterWaiverChange } from './invalidate';

export function createWaiver(input: WaiverCreate): Promise<WaiverItem> {
  return apiRequest<WaiverItem>('/waivers', { method: 'POST', body: input });
}

export function useCreateWaiver() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createWaiver, onSuccess: () => invalidateAfterWaiverChange(client) });
}
