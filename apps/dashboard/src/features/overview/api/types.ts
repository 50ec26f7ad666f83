/** GET /api/v1/summary (the server defines it in its route; not yet in @plumbline/protocol). */
export interface StatusCounts {
  pass: number;
  fail: number;
  waived: number;
  notapplicable: number;
  error: number;
}

export interface Figures {
  hosts: number;
  online: number;
  offline: number;
  score: number | null;
  scoreWithWaivers: number | null;
  counts: StatusCounts;
}

export interface FleetSummary {
  fleet: Figures;
  groups: (Figures & { name: string | null })[];
  distribution: { from: number; to: number; hosts: number }[];
  topFailingRules: { ruleId: string; title: string; severity: string; hosts: number }[];
  offlineHosts: { id: string; hostname: string; lastSeenAt: string | null }[];
  generatedAt: string;
}
