import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export interface AuditEntry {
  seq: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  hash: string;
}

export interface AuditParams {
  limit: number;
  offset: number;
  action: string;
}

export function getAudit(params: AuditParams, signal?: AbortSignal): Promise<{ items: AuditEntry[]; total: number }> {
  return apiRequest('/audit', { query: { ...params }, signal });
}

export const auditQueryOptions = (params: AuditParams) =>
  queryOptions({
    queryKey: queryKeys.audit(params),
    queryFn: ({ signal }) => getAudit(params, signal),
    placeholderData: keepPreviousData,
  });

export function useAudit(params: AuditParams) {
  return useQuery(auditQueryOptions(params));
}
