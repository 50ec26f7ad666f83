import type { Result } from '@plumbline/benchmarks/engine';
import type { Report } from '@plumbline/benchmarks/format';
import { compareSectionIds } from '@plumbline/benchmarks/score';

const STATUS_ORDER: Record<Result['status'], number> = { fail: 0, error: 1, pass: 2, notapplicable: 3 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const LABEL: Record<Result['status'], string> = { fail: 'FAIL', error: 'ERROR', pass: 'pass', notapplicable: 'n/a' };
const COLOR: Record<Result['status'], string> = { fail: '31', error: '33', pass: '32', notapplicable: '2' };

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

/**
 * What an ops engineer reads in a terminal: per section, failures and errors first (most
 * severe first) with what was seen and where, passes after; a score line per section and
 * overall. Not-applicable rules are only counted.
 */
export function renderTable(report: Report, opts: { color: boolean }): string {
  const paint = (s: string, code: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  const sc = report.score;
  out.push(`${report.host.hostname}${report.host.os ? ` (${report.host.os})` : ''} — ${report.profile.title}`);
  out.push(
    `score ${pct(sc.score)}${sc.counts.waived ? ` (${pct(sc.withWaivers)} with waivers)` : ''}  ` +
      `pass ${sc.counts.pass}  fail ${sc.counts.fail}  error ${sc.counts.error}  n/a ${sc.counts.notapplicable}`,
  );
  const sections = new Map<string, Result[]>();
  for (const r of report.results) sections.set(r.section.id, [...(sections.get(r.section.id) ?? []), r]);
  const scoreOf = new Map(sc.sections.map((s) => [s.id, s]));
  for (const [id, rs] of [...sections.entries()].sort(([a], [b]) => compareSectionIds(a, b))) {
    const shown = rs.filter((r) => r.status !== 'notapplicable');
    const s = scoreOf.get(id);
    out.push('');
    out.push(
      paint(
        `${id} ${rs[0]?.section.name ?? ''}  ${pct(s?.score ?? null)}${shown.length < rs.length ? `  (${rs.length - shown.length} n/a)` : ''}`,
        '1',
      ),
    );
    shown.sort(
      (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9),
    );
    for (const r of shown) {
      const label = r.waived ? 'WAIVED' : LABEL[r.status];
      out.push(
        `  ${paint(label.padEnd(6), r.waived ? '36' : COLOR[r.status])} ${r.severity.padEnd(8)} ${clip(r.title, 70)}  [${r.ruleId}]`,
      );
      if (r.status === 'fail' || r.status === 'error') {
        for (const e of r.evidence.slice(0, 4)) {
          out.push(`           observed ${clip(e.observed, 90)}${e.source ? `  @ ${clip(e.source, 60)}` : ''}`);
          out.push(`           expected ${clip(e.expected, 90)}`);
        }
        if (r.evidence.length > 4) out.push(`           … ${r.evidence.length - 4} more`);
      }
    }
  }
  return out.join('\n');
}
