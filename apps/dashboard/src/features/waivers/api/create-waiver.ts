import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WaiverItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { invalidateAfterWaiverChange } from './invalidate';

export interface WaiverInput {
  ruleId: string;
  scope: { type: 'host' | 'group' | 'tag'; id: string };
  justification: string;
  expiresAt: string;
}

export function createWaiver(input: WaiverInput): Promise<WaiverItem> {
  return apiRequest<WaiverItem>('/waivers', { method: 'POST', body: input });
}

export function useCreateWaiver() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createWaiver, onSuccess: () => invalidateAfterWaiverChange(client) });
}
