import type { ResultItem } from '@plumbline/protocol/api';

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;

export interface SeverityGroup {
  severity: string;
  results: ResultItem[];
  failing: number;
}

const rank = (severity: string) => {
  const i = (SEVERITY_ORDER as readonly string[]).indexOf(severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
};
const bySection = (a: ResultItem, b: ResultItem) =>
  a.section.id.localeCompare(b.section.id, undefined, { numeric: true }) || a.ruleId.localeCompare(b.ruleId);

/**
 * Results by severity (critical first), then by section number (1.2 before 1.10): a High
 * failure never sits below a page of Low ones. Within a severity, unwaived failures lead.
 */
export function groupBySeverity(results: ResultItem[]): SeverityGroup[] {
  const map = new Map<string, SeverityGroup>();
  for (const r of results) {
    const g = map.get(r.severity) ?? { severity: r.severity, results: [], failing: 0 };
    g.results.push(r);
    if (r.status === 'fail' && !r.waived) g.failing += 1;
    map.set(r.severity, g);
  }
  const failingFirst = (r: ResultItem) => (r.status === 'fail' && !r.waived ? 0 : r.status === 'fail' ? 1 : 2);
  for (const g of map.values()) g.results.sort((a, b) => failingFirst(a) - failingFirst(b) || bySection(a, b));
  return [...map.values()].sort((a, b) => rank(a.severity) - rank(b.severity));
}

/** The element id of a rule's row on the host page: `#rule-<id>` links open it. */
export const ruleAnchor = (ruleId: string) => `rule-${ruleId}`;
