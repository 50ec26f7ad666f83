import type { HostSummary } from '@plumbline/protocol/api';

/** A rule as the page shows it: from GET /rules/:id, or from one host's result for it. */
export interface RuleView {
  id: string;
  title: string;
  description?: string;
  rationale: string;
  severity: string;
  levels: string[];
  section: { id: string; name: string };
  references: Record<string, string[]>;
  remediation: { shell?: string; ansible?: unknown };
  profiles?: string[];
  failingHosts?: number;
  passingHosts?: number;
}

export interface RuleHostItem {
  host: HostSummary;
  status: string;
  firstFailedAt: string | null;
  changedAt: string;
}

export interface RuleHostList {
  items: RuleHostItem[];
  total: number;
}
