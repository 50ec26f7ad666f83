import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ReportPublicKey } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const PUBLIC_KEY_PEM_URL = '/api/v1/reports/public-key.pem';
export const PUBLIC_KEY_JSON_URL = '/api/v1/reports/public-key';

export function getReportPublicKey(signal?: AbortSignal): Promise<ReportPublicKey> {
  return apiRequest<ReportPublicKey>('/reports/public-key', { signal });
}

export const reportPublicKeyQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.reportKey,
    queryFn: ({ signal }) => getReportPublicKey(signal),
    // The key pair lives as long as the server's database.
    staleTime: Infinity,
  });

export function useReportPublicKey() {
  return useQuery(reportPublicKeyQueryOptions());
}
