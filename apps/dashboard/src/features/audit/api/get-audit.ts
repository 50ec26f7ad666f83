import type { AuditEntry } from '@plumbline/protocol/access';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export interface AuditParams extends ListParams {
  actor?: string;
  action?: string;
  target?: string;
}

export const auditQueryOptions = (params: AuditParams) => listQueryOptions<AuditEntry>(queryKeys.audit(params), '/audit', params);

export function useAudit(params: AuditParams) {
  return useQuery(auditQueryOptions(params));
}
