import { SEVERITY_WEIGHTS } from '@plumbline/benchmarks/score';
import type { ReportContext } from '../context';
import type { ReportResult } from '../source';
import type { HostLine } from '../summary';
import { evidenceCore, evidenceSummary, evidenceWhere } from './evidence';
import { WIDTH, type Cell, type Layout } from './layout';
import { STATUS, body, muted, severityCell, small, statusCell, statusOf, txt, type StatusKey } from './style';

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

/**
 * Hosts built from one image fail the same rules for the same reason: the evidence is given in
 * full where it is first shown and referred to after that, which keeps a fleet's pages few.
 */
class EvidenceIndex {
  private readonly seen = new Map<string, { host: string; page: number }>();
  private pending: { host: string; page: number }[] = [];

  /** The page the last row landed on: known only once the table has placed it. */
  placed = (page: number) => {
    for (const p of this.pending) p.page = page;
    this.pending = [];
  };

  private readonly seenCore = new Map<string, { host: string; page: number }>();

  /** Where this result's evidence (the same expected and observed values) was first shown, if it was. */
  firstShown(r: ReportResult): { host: string; page: number } | undefined {
    return this.seenCore.get(`${r.ruleId}\u0000${evidenceCore(r.evidence)}`);
  }

  cell(r: ReportResult, host: string): Cell {
    const waiver =
      r.waived && r.waiver ? `Waived until ${day(r.waiver.expiresAt)}, approved by ${r.waiver.approver}: ${r.waiver.justification}\n` : '';
    const evidence = evidenceSummary(r.evidence);
    const key = `${r.ruleId}\u0000${evidence}`;
    const first = this.seen.get(key);
    if (first) return txt(`${waiver}Same as on ${first.host.length <= 30 ? first.host : 'the host'} (page ${first.page}).`, small);
    const entry = { host, page: 0 };
    this.seen.set(key, entry);
    const core = `${r.ruleId}\u0000${evidenceCore(r.evidence)}`;
    if (!this.seenCore.has(core)) this.seenCore.set(core, entry);
    this.pending.push(entry);
    return txt(`${waiver}${evidence}`, small);
  }
}

/**
 * Per host, its failures (waived ones marked) and errors with their evidence. Yields after each
 * host so the caller can pass the finished pages on.
 */
export async function* drawHostFailures(l: Layout, ctx: ReportContext): AsyncGenerator<boolean> {
  l.newPage();
  const sect = l.doc.struct('Sect');
  l.root.add(sect);
  const outline = l.heading(sect, 1, 'Failures and errors by host');
  const rest =
    (ctx.options.appendix ?? true)
      ? 'Passing and not applicable results are in the appendix.'
      : 'Passing and not applicable results are left out of this report (appendix=false); the CSV and JSON reports carry every verdict.';
  l.block(sect, 'P', `Each failing or erroring rule with what it expected, what was observed, and where. ${rest}`, muted, { gapAfter: 6 });
  // The evidence gets the width: it is what wraps.
  const cols = [
    { header: 'Section', width: 34 },
    { header: 'Severity', width: 36 },
    { header: 'Status', width: 32 },
    { header: 'Rule', width: 114 },
    { header: 'Evidence', width: WIDTH - 34 - 36 - 32 - 114 },
  ];
  const index = new EvidenceIndex();
  for await (const { host, results } of ctx.source.hosts(true)) {
    const shown = results.filter((r) => r.status === 'fail' || r.status === 'error');
    const fails = results.filter((r) => r.status === 'fail' && !r.waived).length;
    const waived = results.filter((r) => r.waived).length;
    const errors = results.filter((r) => r.status === 'error').length;
    const hs = l.doc.struct('Sect');
    sect.add(hs);
    l.heading(hs, 2, host.hostname, outline);
    l.block(
      hs,
      'P',
      `${host.group ? `Group ${host.group}` : 'No group'}; ${host.os ?? 'unknown OS'}; profile ${host.profileId ?? 'none'}. ${fails} failing, ${waived} waived, ${errors} errors of ${results.length} rules.`,
      muted,
      { gapAfter: 4 },
    );
    // Rules failing exactly as on a host shown before are listed in one paragraph per such host,
    // not a row each: hosts built from one image would otherwise repeat pages of the same rows.
    const repeats = new Map<string, { first: { host: string; page: number }; status: string; results: ReportResult[] }>();
    const fresh: ReportResult[] = [];
    for (const r of shown) {
      const first = r.waived ? undefined : index.firstShown(r);
      if (!first) {
        fresh.push(r);
        continue;
      }
      const k = `${first.host}\u0000${r.status}`;
      const g = repeats.get(k) ?? { first, status: r.status, results: [] };
      g.results.push(r);
      repeats.set(k, g);
    }
    const causes = errorCauses(fresh);
    const rows = function* (): Generator<Cell[]> {
      for (const r of fresh) {
        const cause = r.status === 'error' ? causes.get(causeOf(r)) : undefined;
        if (!cause) {
          yield [
            txt(r.section.id, small),
            severityCell(r.severity),
            statusCell(statusOf(r)),
            txt(r.title, small),
            index.cell(r, host.hostname),
          ];
        } else if (cause[0] === r) {
          const worst = cause.reduce((a, b) => (SEVERITY_WEIGHTS[b.severity] > SEVERITY_WEIGHTS[a.severity] ? b : a));
          const e = r.evidence[0];
          const where = e?.source ? ` Where: ${e.source}.` : '';
          yield [
            txt([...new Set(cause.map((c) => c.section.id))].join(', '), small),
            severityCell(worst.severity),
            statusCell('error'),
            txt(`${cause.length} rules: ${cause.map((c) => c.title).join('; ')}.`, small),
            txt(`The same cause for each: Observed: ${e?.observed ?? 'no evidence'}.${where}`, small),
          ];
        }
      }
    };
    if (fresh.length) l.table(hs, cols, rows(), { placed: index.placed });
    for (const g of repeats.values()) {
      const where = `${g.first.host.length <= 40 ? g.first.host : 'a host above'}, page ${g.first.page}`;
      const what = g.status === 'error' ? 'In error' : 'Also failing';
      const list = g.results.map((r) => `${r.section.id} ${r.title} (${r.severity})`).join('; ');
      const places = new Set(g.results.map((r) => evidenceWhere(r.evidence) ?? ''));
      const read =
        places.size === 1 && [...places][0] ? ` Where: ${[...places][0]}.` : ' Where each was read on this host: the CSV and JSON reports.';
      l.block(hs, 'P', `${what}, expected and observed as on ${where} (${g.results.length}): ${list}.${read}`, small, { gapAfter: 6 });
    }
    if (!shown.length) l.block(hs, 'P', 'No failures or errors.', body, { gapAfter: 8 });
    hs.end();
    yield true;
  }
  sect.end();
}

/** Errors with one cause (no package database, a fact not collected) are many rules for one reason. */
const causeOf = (r: ReportResult) => `${r.evidence[0]?.observed ?? ''}\u0000${r.evidence[0]?.source ?? ''}`;
const GROUP_ERRORS_FROM = 3;

function errorCauses(shown: ReportResult[]): Map<string, ReportResult[]> {
  const by = new Map<string, ReportResult[]>();
  for (const r of shown) if (r.status === 'error') by.set(causeOf(r), [...(by.get(causeOf(r)) ?? []), r]);
  for (const [k, rs] of by) if (rs.length < GROUP_ERRORS_FROM) by.delete(k);
  return by;
}

const CHUNK = 8;

/** Every verdict, rule by rule, for up to CHUNK hosts per table: the passing and not applicable detail. */
export async function* drawAppendix(l: Layout, ctx: ReportContext, hosts: HostLine[]): AsyncGenerator<boolean> {
  l.newPage();
  const sect = l.doc.struct('Sect');
  l.root.add(sect);
  const outline = l.heading(sect, 1, 'Appendix: every verdict by rule and host');
  l.block(
    sect,
    'P',
    `${(Object.keys(STATUS) as StatusKey[]).map((k) => STATUS[k].label).join(', ')}: as in the dashboard. A blank cell: the rule is not in that host's profile.`,
    muted,
    { gapAfter: 6 },
  );
  for (let i = 0; i < hosts.length; i += CHUNK) {
    const chunk = hosts.slice(i, i + CHUNK);
    const ids = new Set(chunk.map((h) => h.id));
    const verdicts = new Map<string, { title: string; section: string; by: Map<string, StatusKey> }>();
    for await (const { host, results } of ctx.source.hosts(false)) {
      if (!ids.has(host.id)) continue;
      for (const r of results) {
        const v = verdicts.get(r.ruleId) ?? { title: r.title, section: r.section.id, by: new Map() };
        v.by.set(host.id, statusOf(r));
        verdicts.set(r.ruleId, v);
      }
    }
    if (hosts.length > CHUNK) l.heading(sect, 2, `Hosts ${i + 1} to ${i + chunk.length}`, outline);
    const hostW = Math.min(52, (WIDTH - 200) / chunk.length);
    const cols = [
      { header: 'Section', width: 32 },
      { header: 'Rule', width: WIDTH - 32 - hostW * chunk.length },
      ...chunk.map((h) => ({ header: h.hostname, width: hostW })),
    ];
    // Rules in report order, as the source gives them.
    l.table(
      sect,
      cols,
      [...verdicts.entries()].map(([ruleId, v]) => [
        txt(v.section, small),
        txt(ruleId, small),
        ...chunk.map((h): Cell => {
          const s = v.by.get(h.id);
          return s ? statusCell(s, 6.5) : txt('', small);
        }),
      ]),
    );
    yield true;
  }
  sect.end();
}
