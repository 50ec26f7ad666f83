import type { ReportPublicKey } from '@plumbline/protocol/api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** The server's Ed25519 key: it signs the agent packages' SHA256SUMS (and reports). */
export const packageKeyQueryOptions = () =>
  queryOptions({
    // The same key and request as the reports' public key: one fetch serves both.
    queryKey: queryKeys.reportKey,
    queryFn: ({ signal }) => apiRequest<ReportPublicKey>('/reports/public-key', { signal }),
    staleTime: Infinity,
  });

export function usePackageSigningKey() {
  return useQuery(packageKeyQueryOptions());
}
