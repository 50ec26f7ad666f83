import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WaiveFailing, WaiveFailingResult } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { invalidateAfterWaiverChange } from './invalidate';

export type WaiveFailingInput = WaiveFailing & { ruleId: string };

/**
 * One host waiver for each host failing the rule now and not waived already, under the same
 * approval rules as one waiver: POST /rules/:id/waive-failing. Answers the waivers made.
 */
export function waiveFailing({ ruleId, justification, expiresAt }: WaiveFailingInput): Promise<WaiveFailingResult> {
  const body: WaiveFailing = { justification, expiresAt };
  return apiRequest<WaiveFailingResult>(`/rules/${encodeURIComponent(ruleId)}/waive-failing`, { method: 'POST', body });
}

export function useWaiveFailing() {
  const client = useQueryClient();
  return useMutation({ mutationFn: waiveFailing, onSuccess: () => invalidateAfterWaiverChange(client) });
}
