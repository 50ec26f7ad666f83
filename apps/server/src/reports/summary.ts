import { SEVERITY_WEIGHTS, compareSectionIds } from '@plumbline/benchmarks/score';
import type { Framework } from './options';
import type { HostResults, ReportHost, ReportResult } from './source';

/**
 * The figures of a report, built in one pass over its results. Score = severity-weighted
 * pass / (pass + fail) x 100 (weights low 1, medium 2, high 4, critical 8), as on the
 * dashboard; with waivers, a waived failure counts as a pass. Fleet and section figures add
 * the weights of every host, so they are exact, not averages of averages.
 */
export interface Counts {
  pass: number;
  fail: number;
  notapplicable: number;
  error: number;
  waived: number;
  total: number;
}

export interface Figures {
  score: number | null;
  scoreWithWaivers: number | null;
  counts: Counts;
}

export interface HostLine extends Figures {
  id: string;
  hostname: string;
  group: string | null;
  tags: string[];
  os: string | null;
  profile: string | null;
}

export interface GroupLine extends Figures {
  /** A profile section id (1.2), or a control of the framework view (AC-6, A.8.9). */
  id: string;
  name: string;
  rules: number;
}

export interface ReportSummary extends Figures {
  hosts: number;
  /** Host scores in ten buckets: 0-10, 10-20, ... 90-100. */
  distribution: number[];
}

class Acc {
  counts: Counts = { pass: 0, fail: 0, notapplicable: 0, error: 0, waived: 0, total: 0 };
  weight = { pass: 0, fail: 0, waived: 0 };
  add(r: ReportResult) {
    // The counts as every page shows them (shownCounts): a waived failure is counted as waived, not as a failure.
    this.counts[r.status === 'fail' && r.waived ? 'waived' : r.status]++;
    this.counts.total++;
    const w = SEVERITY_WEIGHTS[r.severity] ?? 1;
    if (r.status === 'pass') this.weight.pass += w;
    if (r.status === 'fail') {
      this.weight.fail += w;
      if (r.waived) this.weight.waived += w;
    }
  }
  figures(withWaivers: boolean): Figures {
    const d = this.weight.pass + this.weight.fail;
    const pct = (n: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);
    return {
      score: pct(this.weight.pass),
      scoreWithWaivers: withWaivers ? pct(this.weight.pass + this.weight.waived) : null,
      counts: { ...this.counts },
    };
  }
}

export class SummaryBuilder {
  readonly hostLines: HostLine[] = [];
  private fleet = new Acc();
  private groups = new Map<string, { name: string; acc: Acc; rules: Set<string> }>();

  constructor(
    private readonly withWaivers: boolean,
    private readonly framework?: Framework,
  ) {}

  /** The keys a result is grouped under: its section, or each control it maps to in the framework view. */
  groupKeys(r: ReportResult): { id: string; name: string }[] {
    if (!this.framework) return [{ id: r.section.id, name: r.section.name }];
    return r.references[this.framework].map((c) => ({ id: c, name: `${this.framework?.toUpperCase()} ${c}` }));
  }

  add({ host, results }: HostResults): HostLine {
    const acc = new Acc();
    for (const r of results) {
      acc.add(r);
      this.fleet.add(r);
      for (const k of this.groupKeys(r)) {
        let g = this.groups.get(k.id);
        if (!g) this.groups.set(k.id, (g = { name: k.name, acc: new Acc(), rules: new Set() }));
        g.acc.add(r);
        g.rules.add(r.ruleId);
      }
    }
    const line = hostLine(host, acc.figures(this.withWaivers));
    this.hostLines.push(line);
    return line;
  }

  summary(): ReportSummary {
    const distribution = Array.from({ length: 10 }, () => 0);
    for (const h of this.hostLines) if (h.score !== null) distribution[Math.min(9, Math.floor(h.score / 10))]!++;
    return { hosts: this.hostLines.length, ...this.fleet.figures(this.withWaivers), distribution };
  }

  groupLines(): GroupLine[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (this.framework ? a.localeCompare(b, 'en', { numeric: true }) : compareSectionIds(a, b)))
      .map(([id, g]) => ({ id, name: g.name, rules: g.rules.size, ...g.acc.figures(this.withWaivers) }));
  }
}

function hostLine(h: ReportHost, f: Figures): HostLine {
  return { id: h.id, hostname: h.hostname, group: h.group, tags: h.tags, os: h.os, profile: h.profileId, ...f };
}
