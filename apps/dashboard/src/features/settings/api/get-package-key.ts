import type { ReportPublicKey } from '@plumbline/protocol/api';
import { useQuery } from '@tanstack/react-query';
import { getQueryOptions } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

/** The server's Ed25519 key: it signs the agent packages' SHA256SUMS (and reports). */
export const packageKeyQueryOptions = () =>
  // The same key and request as the reports' public key: one fetch serves both.
  getQueryOptions<ReportPublicKey>(queryKeys.reportKey, '/reports/public-key', { staleTime: Infinity });

export function usePackageSigningKey() {
  return useQuery(packageKeyQueryOptions());
}
