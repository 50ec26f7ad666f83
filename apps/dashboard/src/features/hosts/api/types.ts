import type { FactError } from '@plumbline/protocol/facts';

export interface HostSummary {
  id: string;
  hostname: string;
  /** The OS pretty name, e.g. "Debian GNU/Linux 12 (bookworm)". */
  os: string | null;
  osId: string | null;
  osVersion: string | null;
  kernel: string | null;
  arch: string | null;
  agentVersion: string | null;
  group: string | null;
  online: boolean;
  lastSeenAt: string | null;
  createdAt: string;
  /** Newer servers send these; older ones do not (hence optional). */
  tags?: string[];
  score?: number | null;
  scoreWithWaivers?: number | null;
  counts?: { pass: number; fail: number; waived: number; notapplicable: number; error: number };
  profile?: string | null;
  /** Another host reported this host's machine id (a cloned image); flagged until cleared. */
  identityConflict?: boolean;
  /** Another host has the same hostname: a marker, not a conflict. */
  duplicateHostname?: boolean;
}

export interface HostRef {
  id: string;
  hostname: string;
}

export interface HostList {
  items: HostSummary[];
  total: number;
}

/**
 * Facts are rendered generically (new facts appear without a dashboard release), so
 * the detail keeps them as plain JSON and the typed views narrow what they use.
 */
export interface HostDetail extends HostSummary {
  machineId: string | null;
  identityConflictSince?: string | null;
  sameMachineId?: HostRef[];
  sameHostname?: HostRef[];
  facts: Record<string, unknown> | null;
  factErrors: Record<string, FactError>;
  observedAt: string | null;
  receivedAt: string | null;
}

export interface HostChange {
  id: string;
  fact: string;
  path: string;
  op: 'add' | 'remove' | 'replace';
  before: unknown;
  after: unknown;
  observedAt: string;
  receivedAt: string;
}

export interface HostChangeList {
  items: HostChange[];
  total: number;
}

export const HOST_SORT_FIELDS = ['hostname', 'lastSeenAt', 'os', 'createdAt', 'score', 'failCount'] as const;
export type HostSortField = (typeof HOST_SORT_FIELDS)[number];
