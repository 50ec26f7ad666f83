import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Page, RuleHostItem, WaiverItem } from '@plumbline/protocol/api';
import { apiRequest, ApiError } from '@/lib/api-client';
import { invalidateAfterWaiverChange } from './invalidate';

export interface WaiveFailingInput {
  ruleId: string;
  justification: string;
  expiresAt: string;
}

/**
 * One host waiver for each host failing the rule now, under the same approval rules as one
 * waiver: POST /rules/:id/waive-failing; a server without that route gets one POST /waivers per
 * failing host instead. Answers how many waivers were made.
 */
export async function waiveFailing({ ruleId, justification, expiresAt }: WaiveFailingInput): Promise<number> {
  const path = `/rules/${encodeURIComponent(ruleId)}`;
  try {
    const r = await apiRequest<{ items?: WaiverItem[]; created?: number }>(`${path}/waive-failing`, {
      method: 'POST',
      body: { justification, expiresAt },
    });
    return r.created ?? r.items?.length ?? 0;
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) throw err;
  }
  const hosts: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await apiRequest<Page<RuleHostItem>>(`${path}/hosts`, { query: { status: 'fail', limit: 500, offset } });
    hosts.push(...page.items.map((i) => i.host.id));
    if (page.items.length < 500) break;
  }
  for (const id of hosts)
    await apiRequest<WaiverItem>('/waivers', { method: 'POST', body: { ruleId, scope: { type: 'host', id }, justification, expiresAt } });
  return hosts.length;
}

export function useWaiveFailing() {
  const client = useQueryClient();
  return useMutation({ mutationFn: waiveFailing, onSuccess: () => invalidateAfterWaiverChange(client) });
}
