import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export interface ReportPublicKey {
  keyId: string;
  algorithm: string;
  fingerprint: string;
  /** PEM (SPKI). */
  publicKey: string;
}

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
