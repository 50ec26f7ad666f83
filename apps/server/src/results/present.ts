import type { Result } from '@plumbline/benchmarks/engine';
import type { Rule } from '@plumbline/benchmarks/schema';

/** Stored verdicts as engine results, dressed with their rule; verdicts of rules the policy does not know are left out. */
export function storedResults(
  rows: { ruleId: string; status: string; evidence: unknown }[],
  rule: (id: string) => Rule | undefined,
): Result[] {
  return rows.flatMap((r) => {
    const found = rule(r.ruleId);
    if (!found) return [];
    return [
      {
        ruleId: r.ruleId,
        title: found.title,
        severity: found.severity,
        levels: found.levels,
        section: found.section,
        status: r.status as Result['status'],
        evidence: r.evidence as unknown as Result['evidence'],
        references: found.references,
      },
    ];
  });
}
