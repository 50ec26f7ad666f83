import { useQuery } from '@tanstack/react-query';
import type { ReportPublicKey } from '@plumbline/protocol/api';
import { getQueryOptions } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export const PUBLIC_KEY_PEM_URL = '/api/v1/reports/public-key.pem';
export const PUBLIC_KEY_JSON_URL = '/api/v1/reports/public-key';

export const reportPublicKeyQueryOptions = () =>
  // The key pair lives as long as the server's database.
  getQueryOptions<ReportPublicKey>(queryKeys.reportKey, '/reports/public-key', { staleTime: Infinity });

export function useReportPublicKey() {
  return useQuery(reportPublicKeyQueryOptions());
}
