import type { FleetVulnerabilities, HostVulnerabilities, PackageVulnerabilities } from '@plumbline/protocol/vulnerabilities';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest, buildUrl, type Query } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type VulnerabilityFilters = Record<'cve' | 'package' | 'exposure' | 'state' | 'band' | 'kev' | 'waived' | 'group', string>;

/** The fleet's known vulnerabilities by CVE, most urgent first. */
export function useFleetVulnerabilities(filters: VulnerabilityFilters, limit: number, offset: number, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.vulnerabilities, 'fleet', filters, limit, offset],
    queryFn: ({ signal }) => apiRequest<FleetVulnerabilities>('/vulnerabilities', { query: { ...filters, limit, offset }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The same findings by source package: what to update, most urgent first. */
export function usePackageVulnerabilities(filters: VulnerabilityFilters, limit: number, offset: number, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.vulnerabilities, 'packages', filters, limit, offset],
    queryFn: ({ signal }) =>
      apiRequest<PackageVulnerabilities>('/vulnerabilities/packages', { query: { ...filters, limit, offset }, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useHostVulnerabilities(hostId: string) {
  return useQuery({
    queryKey: [...queryKeys.vulnerabilities, 'host', hostId],
    queryFn: ({ signal }) => apiRequest<HostVulnerabilities>(`/hosts/${encodeURIComponent(hostId)}/vulnerabilities`, { signal }),
  });
}

/** The same list as CSV (the browser downloads it with the session cookie). */
export const csvUrl = (path: string, query: Query = {}) => buildUrl(path, { ...query, format: 'csv' });
