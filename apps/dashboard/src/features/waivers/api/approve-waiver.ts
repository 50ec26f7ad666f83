import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WaiverItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { invalidateAfterWaiverChange } from './invalidate';

export function approveWaiver(id: string): Promise<WaiverItem> {
  return apiRequest<WaiverItem>(`/waivers/${encodeURIComponent(id)}/approve`, { method: 'POST' });
}

export function useApproveWaiver() {
  const client = useQueryClient();
  return useMutation({ mutationFn: approveWaiver, onSuccess: () => invalidateAfterWaiverChange(client) });
}
