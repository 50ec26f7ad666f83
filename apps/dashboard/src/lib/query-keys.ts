/**
 * Query keys shared across features, so that the live feed can invalidate what the
 * hosts, overview, drift and waiver features cache without importing them.
 */
export interface HostListParams {
  limit: number;
  offset: number;
  q: string;
  sort: string;
  order: 'asc' | 'desc';
  /** Filters ('' = any). */
  group: string;
  tag: string;
  /** os-release ID, e.g. debian, ubuntu, rhel. */
  os: string;
  online: '' | 'true' | 'false';
  /** Score bounds 0-100 ('' = unbounded), kept as strings as the URL holds them. */
  minScore: string;
  maxScore: string;
  failing: string;
}

export interface DriftParams {
  host?: string;
  group?: string;
  kind?: string;
  severity?: string;
  direction?: string;
  since?: string;
  until?: string;
  q?: string;
  limit: number;
  offset: number;
}

export interface WaiverParams {
  state?: string;
  ruleId?: string;
  expiringWithinDays?: number;
  limit: number;
  offset: number;
}

export const queryKeys = {
  session: ['session'] as const,
  setup: ['setup'] as const,
  hosts: ['hosts'] as const,
  hostLists: ['hosts', 'list'] as const,
  hostList: (params: HostListParams) => ['hosts', 'list', params] as const,
  summary: ['summary'] as const,
  /** Under `summary`, so whatever refreshes the summary refreshes triage too. */
  triage: ['summary', 'triage'] as const,
  /** Under `hosts`, so host updates refresh them. */
  hostFailures: (ids: string[]) => ['hosts', 'failures', ids] as const,
  host: (id: string) => ['hosts', 'detail', id] as const,
  hostChanges: (id: string, params: { limit: number; offset: number }) => ['hosts', 'detail', id, 'changes', params] as const,
  hostResults: (id: string) => ['hosts', 'detail', id, 'results'] as const,
  drift: ['drift'] as const,
  driftList: (params: DriftParams) => ['drift', params] as const,
  waivers: ['waivers'] as const,
  /** Findings carry the CVE waivers that cover them: a waiver change refreshes them. */
  vulnerabilities: ['vulnerabilities'] as const,
  waiverList: (params: WaiverParams) => ['waivers', params] as const,
  rules: ['rules'] as const,
  ruleList: (params: { q: string; limit: number; offset: number; severity?: string; section?: string; profile?: string; sort?: string }) =>
    ['rules', 'list', params] as const,
  rule: (id: string) => ['rules', 'detail', id] as const,
  ruleHosts: (id: string, params: { status: string; limit: number; offset: number }) => ['rules', 'detail', id, 'hosts', params] as const,
  groups: ['groups'] as const,
  enrollmentTokens: (params: { limit: number; offset: number }) => ['enrollment-tokens', params] as const,
  apiKeys: (params: { limit: number; offset: number }) => ['api-keys', params] as const,
  users: (params: { limit: number; offset: number }) => ['users', params] as const,
  reportKey: ['reports', 'public-key'] as const,
  audit: (params: { limit: number; offset: number; action?: string; actor?: string; target?: string }) => ['audit', params] as const,
};
