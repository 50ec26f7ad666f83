import { SEVERITY_WEIGHTS } from '@plumbline/benchmarks/score';
import type { ReportContext, Summarized } from '../context';
import { MARGIN, WIDTH, type Cell, type Layout } from './layout';
import { MUTED, STATUS, body, bold, num, scoreCell, severityCell, small, txt } from './style';

export interface Risk {
  ruleId: string;
  title: string;
  section: string;
  severity: string;
  hosts: number;
}

/** A waiver that applies in scope at the report's time, as its register row reads. */
export interface WaiverInForce {
  /** What it waives: a rule's title and id, or a CVE. */
  what: string;
  scope: { type: 'host' | 'group' | 'tag'; id: string };
  justification: string;
  approver: string;
  expiresAt: Date;
  /** Hosts in scope whose failure or finding it covers. */
  hosts: number;
}

export interface Highlights {
  risks: Risk[];
  waivers: WaiverInForce[];
}

/** One pass over the verdicts (no evidence): the worst unwaived failures, and the rule waivers that apply in scope. */
export async function collectHighlights(ctx: ReportContext, top = 10): Promise<Highlights> {
  const risks = new Map<string, Risk>();
  const waivers = new Map<string, WaiverInForce>();
  for await (const { results } of ctx.source.hosts(false)) {
    for (const r of results) {
      if (r.status !== 'fail') continue;
      if (r.waived && r.waiver) {
        const key = r.waiver.id ?? `${r.ruleId}|${r.waiver.approver}|${r.waiver.justification}`;
        const s = r.waiver.scope ?? {};
        const scope = s.hosts?.[0]
          ? { type: 'host' as const, id: s.hosts[0] }
          : s.groups?.[0]
            ? { type: 'group' as const, id: s.groups[0] }
            : { type: 'tag' as const, id: s.tags?.[0] ?? '' };
        const w = waivers.get(key) ?? {
          what: `${r.title} (${r.ruleId})`,
          scope,
          justification: r.waiver.justification,
          approver: r.waiver.approver,
          expiresAt: new Date(r.waiver.expiresAt),
          hosts: 0,
        };
        w.hosts++;
        waivers.set(key, w);
        continue;
      }
      const risk = risks.get(r.ruleId) ?? { ruleId: r.ruleId, title: r.title, section: r.section.id, severity: r.severity, hosts: 0 };
      risk.hosts++;
      risks.set(r.ruleId, risk);
    }
  }
  const weight = (r: Risk) => (SEVERITY_WEIGHTS[r.severity as keyof typeof SEVERITY_WEIGHTS] ?? 1) * r.hosts;
  return {
    risks: [...risks.values()].sort((a, b) => weight(b) - weight(a) || b.hosts - a.hosts || a.ruleId.localeCompare(b.ruleId)).slice(0, top),
    waivers: [...waivers.values()].sort(byExpiry),
  };
}

export const byExpiry = (a: WaiverInForce, b: WaiverInForce) => a.expiresAt.getTime() - b.expiresAt.getTime();

const pct = (n: number | null) => (n === null ? '-' : `${n.toFixed(1)}%`);
const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

/** The signer's fingerprint in groups of four, as key fingerprints are usually read out. */
const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

export function drawCover(l: Layout, ctx: ReportContext, s: Summarized): void {
  const d = ctx.describe();
  l.newPage();
  const sect = l.doc.struct('Sect');
  l.root.add(sect);
  l.y += 10;
  l.block(sect, 'H1', 'Compliance report', { font: 'Helvetica-Bold', size: 24 }, { gapAfter: 4 });
  l.doc.outline.addItem('Cover');
  l.block(
    sect,
    'P',
    `${d.scope === 'fleet' ? 'The whole fleet' : `Scope ${d.scope}`}, as of ${d.asOf}`,
    { font: 'Helvetica', size: 12, color: MUTED },
    { gapAfter: 14 },
  );
  const rows: [string, string][] = [
    ['Scope', d.scope],
    ['As of', `${d.asOf}${d.pointInTime ? ' (from the stored history)' : ' (the time of export)'}`],
    ['Profile', d.profileTitle ? `${d.profileTitle} (${d.profile})` : "each host's own profile"],
    ...(d.framework ? [['Framework view', d.framework] as [string, string]] : []),
    ['Waivers', d.waivers ? 'applied: scores are given with and without them' : 'ignored'],
    [
      'Detail',
      (ctx.options.appendix ?? true)
        ? 'failures and errors with evidence; every verdict in the appendix'
        : 'failures and errors with evidence (appendix left out)',
    ],
    ['Hosts', String(s.summary.hosts)],
    ['Generated', d.generatedAt],
    ['Report id', ctx.id],
    ['Signing key', d.keyId],
    ['Signer fingerprint', `SHA-256 ${grouped(d.keyFingerprint)}`],
    [
      'Verify',
      'The signature covers every byte of this file (Ed25519 over its SHA-512). Compare the fingerprint with the key you trust, then run: plumbline verify FILE --key-fingerprint FINGERPRINT (the fingerprint above, without spaces)',
    ],
  ];
  l.table(
    sect,
    [
      { header: 'Report', width: 110 },
      { header: '', width: WIDTH - 110 },
    ],
    rows.map(([k, v]): Cell[] => [txt(k, { ...bold, size: 8.5 }), txt(v, { ...body, size: 8.5 })]),
    { head: false },
  );
  l.y += 10;
  drawFigures(l, sect, s);
  sect.end();
}

function drawFigures(l: Layout, parent: PDFKit.PDFStructureElement, s: Summarized): void {
  const c = s.summary.counts;
  l.table(
    parent,
    [
      { header: 'Hosts', width: WIDTH / 6, align: 'right' },
      { header: 'Score', width: WIDTH / 6, align: 'right' },
      { header: 'With waivers', width: WIDTH / 6, align: 'right' },
      { header: 'Failing', width: WIDTH / 6, align: 'right' },
      { header: 'Waived', width: WIDTH / 6, align: 'right' },
      { header: 'Errors', width: WIDTH / 6, align: 'right' },
    ],
    [
      [
        num(s.summary.hosts),
        scoreCell(s.summary.score),
        scoreCell(s.summary.scoreWithWaivers),
        num(c.fail - c.waived),
        num(c.waived),
        num(c.error),
      ].map((cell) => ({ ...cell, font: { ...cell.font, size: 14 } })),
    ],
  );
  // One stacked bar of all results by status, then its legend; the bar is a figure with a text alternative.
  const parts: [keyof typeof STATUS, number][] = [
    ['pass', c.pass],
    ['fail', c.fail - c.waived],
    ['waived', c.waived],
    ['notapplicable', c.notapplicable],
    ['error', c.error],
  ];
  l.ensure(40);
  const y = l.y;
  const fig = l.doc.struct('Figure', { alt: `Results by status: ${parts.map(([k, n]) => `${STATUS[k].label} ${n}`).join(', ')}` });
  parent.add(fig);
  l.artifact(() => {
    let x = MARGIN;
    for (const [k, n] of parts) {
      const w = (n / Math.max(1, c.total)) * WIDTH;
      if (w > 0) l.doc.rect(x, y, w, 10).fill(STATUS[k].bar);
      x += w;
    }
    parts.forEach(([k], i) => l.doc.rect(MARGIN + i * (WIDTH / 5), y + 16, 7, 7).fill(STATUS[k].bar));
  });
  fig.end();
  const legend = l.doc.struct('P');
  parent.add(legend);
  parts.forEach(([k, n], i) =>
    legend.add(l.doc.struct('Span', {}, () => l.lines([`${STATUS[k].label} ${n}`], MARGIN + i * (WIDTH / 5) + 10, y + 15.5, small))),
  );
  legend.end();
  l.y = y + 32;
}

export function drawExecutiveSummary(
  l: Layout,
  ctx: ReportContext,
  s: Summarized,
  h: Highlights,
  trend: { at: Date; score: number | null; scoreWithWaivers: number | null }[],
  /** The known-vulnerability figures in a sentence (their section follows the summary). */
  vulnerabilities: string,
): void {
  const d = ctx.describe();
  // Right below the cover's figures: the summary starts on page one.
  l.y += 8;
  const sect = l.doc.struct('Sect');
  l.root.add(sect);
  const outline = l.heading(sect, 1, 'Executive summary');
  const c = s.summary.counts;
  const failingHosts = s.hosts.filter((x) => x.counts.fail - x.counts.waived > 0).length;
  l.block(
    sect,
    'P',
    `${s.summary.hosts} host${s.summary.hosts === 1 ? '' : 's'} scored ${pct(s.summary.score)}${d.waivers ? ` (${pct(s.summary.scoreWithWaivers)} with waivers)` : ''} as of ${d.asOf}. ` +
      `${c.fail - c.waived} failing results on ${failingHosts} host${failingHosts === 1 ? '' : 's'}, ${c.waived} waived, ${c.error} errors, ${c.notapplicable} not applicable, ${c.pass} passing.`,
    { ...body, size: 8.5 },
    { gapAfter: 6 },
  );
  const points = trend.filter((p) => p.score !== null);
  const first = points[0];
  const trendText =
    first && first.at.getTime() < (ctx.asOf ?? ctx.generatedAt).getTime() - 86_400_000
      ? `Trend: ${pct(first.score)} on ${day(first.at)}, ${pct(s.summary.score)} now (${signed((s.summary.score ?? 0) - (first.score ?? 0))} points over ${Math.round(((ctx.asOf ?? ctx.generatedAt).getTime() - first.at.getTime()) / 86_400_000)} days; ${points.length} daily samples: ${points
          .map((p) => pct(p.score))
          .slice(-10)
          .join(', ')}).`
      : 'Trend: no score sample older than a day for this scope in the 30 days before the report; the trend starts here.';
  l.block(sect, 'P', trendText, { ...body, size: 8.5 }, { gapAfter: 6 });
  l.block(sect, 'P', `Known vulnerabilities: ${vulnerabilities}`, { ...body, size: 8.5 }, { gapAfter: 6 });

  l.heading(sect, 2, 'Top risks', outline);
  if (!h.risks.length) l.block(sect, 'P', 'No unwaived failure.', body);
  else
    l.table(
      sect,
      [
        { header: 'Severity', width: 50 },
        { header: 'Section', width: 42 },
        { header: 'Rule', width: WIDTH - 50 - 42 - 60 },
        { header: 'Hosts failing', width: 60, align: 'right' },
      ],
      h.risks.map((r) => [severityCell(r.severity), txt(r.section), txt(`${r.title} (${r.ruleId})`), num(r.hosts)]),
    );

  l.heading(sect, 2, 'Waivers in force', outline);
  if (!d.waivers) l.block(sect, 'P', 'Waivers are ignored in this report.', body);
  else if (!h.waivers.length) l.block(sect, 'P', `No waiver applies to a failure or finding in scope as of ${d.asOf}.`, body);
  else
    l.table(
      sect,
      [
        { header: 'Rule or CVE', width: 140 },
        { header: 'Scope', width: 80 },
        { header: 'Justification', width: WIDTH - 140 - 80 - 70 - 52 - 34 },
        { header: 'Approver', width: 70 },
        { header: 'Expires', width: 52 },
        { header: 'Hosts', width: 34, align: 'right' },
      ],
      h.waivers.map((w) => [
        txt(w.what),
        txt(scopeOf(w.scope, new Map(s.hosts.map((x) => [x.id, x.hostname])))),
        txt(w.justification),
        txt(w.approver),
        txt(day(w.expiresAt)),
        num(w.hosts),
      ]),
    );

  l.heading(sect, 2, `Hosts (${s.hosts.length})`, outline);
  const fig = figureColumns();
  l.table(
    sect,
    [{ header: 'Host', width: 118 }, { header: 'Group', width: 54 }, { header: 'OS', width: WIDTH - 118 - 54 - fig.width }, ...fig.cols],
    s.hosts.map((x) => [txt(x.hostname), txt(x.group ?? '-'), txt(x.os ?? 'unknown'), ...fig.cells(x)]),
  );

  l.heading(sect, 2, d.framework ? `Controls (${d.framework})` : 'Sections', outline);
  l.table(
    sect,
    [
      { header: d.framework ? 'Control' : 'Section', width: 44 },
      { header: 'Name', width: WIDTH - 44 - 30 - fig.width },
      { header: 'Rules', width: 30, align: 'right' },
      ...fig.cols,
    ],
    s.groups.map((g) => [txt(g.id), txt(g.name), num(g.rules), ...fig.cells(g)]),
  );
  sect.end();
}

const scopeOf = (s: WaiverInForce['scope'], names: Map<string, string>) =>
  `${s.type} ${s.type === 'host' ? (names.get(s.id) ?? s.id) : s.id}`;

const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;

function figureColumns() {
  const cols = [
    { header: 'Pass', width: 30, align: 'right' as const },
    { header: 'Fail', width: 28, align: 'right' as const },
    { header: 'Waived', width: 34, align: 'right' as const },
    { header: 'N/A', width: 26, align: 'right' as const },
    { header: 'Error', width: 28, align: 'right' as const },
    { header: 'Score', width: 38, align: 'right' as const },
    { header: 'With waivers', width: 40, align: 'right' as const },
  ];
  return {
    cols,
    width: cols.reduce((a, c) => a + c.width, 0),
    cells: (f: {
      counts: { pass: number; fail: number; waived: number; notapplicable: number; error: number };
      score: number | null;
      scoreWithWaivers: number | null;
    }): Cell[] => [
      num(f.counts.pass),
      num(f.counts.fail - f.counts.waived),
      num(f.counts.waived),
      num(f.counts.notapplicable),
      num(f.counts.error),
      scoreCell(f.score),
      scoreCell(f.scoreWithWaivers),
    ],
  };
}
