import PDFDocument from 'pdfkit';
import type { ReportContext } from './context';
import { FULL_DETAIL_HOSTS } from './html';
import type { ReportResult } from './source';
import type { Figures } from './summary';

/**
 * PDF without a browser (pdfkit): a summary page (figures, status bar, score histogram,
 * section table), the hosts table, then per host its failures and errors with evidence (every
 * result when the report covers few hosts). Pages are flushed as they fill, never buffered.
 * Evidence lines are cut to fit one line: the CSV and JSON reports carry them whole.
 * The standard PDF fonts cover Latin-1 only; other characters print as '?'.
 */
const MARGIN = 40;
const WIDTH = 595.28 - 2 * MARGIN;
const COLORS = { pass: '#2e7d32', fail: '#c62828', waived: '#ef6c00', notapplicable: '#9e9e9e', error: '#6a1b9a', grid: '#dfe3ea', muted: '#5b6475' };

const latin1 = (s: unknown) => String(s ?? '').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
const cut = (s: unknown, n: number) => {
  const t = latin1(s).replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n - 3)}...` : t;
};
const pct = (n: number | null) => (n === null ? '-' : `${n.toFixed(1)}%`);

type Doc = PDFKit.PDFDocument;

function cells(doc: Doc, y: number, cols: [string, number, ('left' | 'right')?][], font = 'Helvetica', size = 8) {
  doc.font(font).fontSize(size);
  let x = MARGIN;
  for (const [text, w, align] of cols) {
    doc.text(text, x + 2, y, { width: w - 4, lineBreak: false, align: align ?? 'left' });
    x += w;
  }
}

function ensure(doc: Doc, y: number, need: number): number {
  if (y + need <= doc.page.height - MARGIN) return y;
  doc.addPage();
  return MARGIN;
}

function figureCols(f: Figures): [string, number, 'right'][] {
  return [
    [String(f.counts.pass), 36, 'right'],
    [String(f.counts.fail), 36, 'right'],
    [String(f.counts.waived), 40, 'right'],
    [String(f.counts.notapplicable), 32, 'right'],
    [String(f.counts.error), 34, 'right'],
    [pct(f.score), 44, 'right'],
    [pct(f.scoreWithWaivers), 50, 'right'],
  ];
}
const FIG_HEAD: [string, number, 'right'][] = [
  ['pass', 36, 'right'],
  ['fail', 36, 'right'],
  ['waived', 40, 'right'],
  ['n/a', 32, 'right'],
  ['error', 34, 'right'],
  ['score', 44, 'right'],
  ['w/ waivers', 50, 'right'],
];
const FIG_W = 272;

function heading(doc: Doc, y: number, text: string): number {
  y = ensure(doc, y, 40);
  doc.font('Helvetica-Bold').fontSize(12).fillColor('black').text(latin1(text), MARGIN, y, { lineBreak: false });
  return y + 18;
}

function tableHead(doc: Doc, y: number, cols: [string, number, ('left' | 'right')?][]): number {
  doc.rect(MARGIN, y - 2, WIDTH, 12).fill('#eef1f5').fillColor('black');
  cells(doc, y, cols, 'Helvetica-Bold');
  return y + 12;
}

function drawSummary(doc: Doc, ctx: ReportContext, s: Awaited<ReturnType<ReportContext['summarize']>>): number {
  const d = ctx.describe();
  doc.font('Helvetica-Bold').fontSize(18).text('Plumbline compliance report', MARGIN, MARGIN);
  doc.font('Helvetica').fontSize(9).fillColor(COLORS.muted);
  const meta = [
    `Scope: ${d.scope}    Profile: ${d.profileTitle ?? d.profile ?? "each host's own"}${d.framework ? `    Framework view: ${d.framework}` : ''}`,
    `As of: ${d.asOf}${d.pointInTime ? ' (from the stored history)' : ''}    Generated: ${d.generatedAt}`,
    `Waivers: ${d.waivers ? 'applied (scores with and without)' : 'ignored'}    Report id: ${ctx.id}`,
    `Signed (Ed25519 over SHA-512 of this file) with key ${d.keyId}; check with: plumbline verify FILE --key-fingerprint KEY`,
    `Signing key fingerprint (SHA-256), the KEY above: ${d.keyFingerprint}`,
  ];
  let y = MARGIN + 26;
  for (const m of meta) {
    doc.text(latin1(m), MARGIN, y, { lineBreak: false });
    y += 12;
  }
  doc.fillColor('black');
  y += 6;
  const cards: [string, string][] = [
    ['Hosts', String(s.summary.hosts)],
    ['Score', pct(s.summary.score)],
    ['With waivers', pct(s.summary.scoreWithWaivers)],
    ['Failing', String(s.summary.counts.fail)],
    ['Waived', String(s.summary.counts.waived)],
    ['Errors', String(s.summary.counts.error)],
  ];
  cards.forEach(([label, value], i) => {
    const x = MARGIN + i * (WIDTH / 6);
    doc.rect(x, y, WIDTH / 6 - 6, 40).stroke(COLORS.grid);
    doc.font('Helvetica').fontSize(8).fillColor(COLORS.muted).text(label, x + 6, y + 5, { lineBreak: false });
    doc.font('Helvetica-Bold').fontSize(15).fillColor('black').text(value, x + 6, y + 18, { lineBreak: false });
  });
  y += 52;
  // Results by status: one stacked bar.
  const c = s.summary.counts;
  const parts: [string, number, string][] = [
    ['pass', c.pass, COLORS.pass],
    ['fail', c.fail - c.waived, COLORS.fail],
    ['waived', c.waived, COLORS.waived],
    ['n/a', c.notapplicable, COLORS.notapplicable],
    ['error', c.error, COLORS.error],
  ];
  doc.font('Helvetica-Bold').fontSize(9).text('Results by status', MARGIN, y, { lineBreak: false });
  y += 12;
  let x = MARGIN;
  for (const [, n, color] of parts) {
    const w = (n / Math.max(1, c.total)) * WIDTH;
    if (w > 0) doc.rect(x, y, w, 14).fill(color);
    x += w;
  }
  y += 18;
  parts.forEach(([label, n, color], i) => {
    doc.rect(MARGIN + i * 100, y, 8, 8).fill(color);
    doc.fillColor('black').font('Helvetica').fontSize(8).text(`${label} ${n}`, MARGIN + i * 100 + 11, y, { lineBreak: false });
  });
  y += 18;
  // Hosts by score: ten bars.
  doc.font('Helvetica-Bold').fontSize(9).text('Hosts by score (%)', MARGIN, y, { lineBreak: false });
  y += 12;
  const max = Math.max(1, ...s.summary.distribution);
  s.summary.distribution.forEach((n, i) => {
    const h = (n / max) * 60;
    const bx = MARGIN + i * 40;
    if (h > 0) doc.rect(bx, y + 60 - h, 30, h).fill(i >= 8 ? COLORS.pass : i >= 5 ? COLORS.waived : COLORS.fail);
    doc.fillColor('black').font('Helvetica').fontSize(7).text(`${i * 10}`, bx, y + 63, { width: 30, align: 'center', lineBreak: false });
    doc.text(String(n), bx, y + 50 - h, { width: 30, align: 'center', lineBreak: false });
  });
  return y + 80;
}

async function* drain(queue: Buffer[]): AsyncGenerator<Buffer> {
  while (queue.length) yield queue.shift() as Buffer;
}

export async function* pdfReport(ctx: ReportContext): AsyncGenerator<Buffer> {
  const s = await ctx.summarize();
  const d = ctx.describe();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: true,
    info: { Title: `Plumbline compliance report ${d.scope} as of ${d.asOf}`, Author: 'Plumbline', Subject: `report ${ctx.id}`, CreationDate: ctx.generatedAt },
  });
  const queue: Buffer[] = [];
  doc.on('data', (b: Buffer) => queue.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.on('pageAdded', () => {
    doc.font('Helvetica').fontSize(7).fillColor(COLORS.muted).text(latin1(`Plumbline report ${ctx.id} - ${d.scope} - as of ${d.asOf}`), MARGIN, 20, { lineBreak: false });
    doc.fillColor('black');
  });

  let y = drawSummary(doc, ctx, s);
  const groupName = d.framework ? `Controls (${d.framework})` : 'Sections';
  y = heading(doc, y, groupName);
  const gHead: [string, number][] = [[d.framework ? 'control' : 'section', 50], ['name', WIDTH - 50 - 30 - FIG_W], ['rules', 30]];
  y = tableHead(doc, y, [...gHead, ...FIG_HEAD]);
  for (const g of s.groups) {
    y = ensure(doc, y, 11);
    cells(doc, y, [[cut(g.id, 12), 50], [cut(g.name, 48), WIDTH - 50 - 30 - FIG_W], [String(g.rules), 30, 'right'], ...figureCols(g)]);
    y += 11;
  }
  yield* drain(queue);

  y = heading(doc, y + 10, `Hosts (${s.hosts.length})`);
  const hHead: [string, number][] = [['host', 120], ['group', 60], ['OS', WIDTH - 180 - FIG_W]];
  y = tableHead(doc, y, [...hHead, ...FIG_HEAD]);
  for (const h of s.hosts) {
    if (y + 11 > doc.page.height - MARGIN) {
      doc.addPage();
      y = tableHead(doc, MARGIN, [...hHead, ...FIG_HEAD]);
    }
    cells(doc, y, [[cut(h.hostname, 28), 120], [cut(h.group ?? '', 14), 60], [cut(h.os ?? '', 40), WIDTH - 180 - FIG_W], ...figureCols(h)]);
    y += 11;
    if (queue.length > 64) yield* drain(queue);
  }
  yield* drain(queue);

  const full = s.hosts.length <= FULL_DETAIL_HOSTS;
  doc.addPage();
  y = heading(doc, MARGIN, full ? 'Results and evidence' : 'Failures and errors, with evidence');
  const rHead: [string, number][] = [['status', 52], ['sev.', 38], ['section', 40], ['rule', WIDTH - 130]];
  for await (const { host, results } of ctx.source.hosts(true)) {
    const shown = full ? results : results.filter((r) => r.status === 'fail' || r.status === 'error');
    y = ensure(doc, y, 40);
    const fails = results.filter((r) => r.status === 'fail').length;
    doc.font('Helvetica-Bold').fontSize(10).fillColor('black').text(cut(`${host.hostname}  (${host.group ?? 'no group'}, ${host.os ?? 'unknown OS'}) - ${fails} failing of ${results.length}`, 110), MARGIN, y, { lineBreak: false });
    y += 14;
    if (!shown.length) {
      doc.font('Helvetica').fontSize(8).text('No failures or errors.', MARGIN, y, { lineBreak: false });
      y += 14;
      continue;
    }
    y = tableHead(doc, y, rHead);
    for (const r of shown) {
      if (y + 22 > doc.page.height - MARGIN) {
        doc.addPage();
        y = tableHead(doc, MARGIN, rHead);
      }
      drawResult(doc, y, r);
      y += 22;
    }
    y += 6;
    if (queue.length) yield* drain(queue);
  }
  doc.end();
  await ended;
  yield* drain(queue);
}

function drawResult(doc: Doc, y: number, r: ReportResult) {
  const status = r.waived ? 'fail (waived)' : r.status;
  const color = r.waived ? COLORS.waived : (COLORS as Record<string, string>)[r.status] ?? 'black';
  doc.fillColor(color);
  cells(doc, y, [[status, 52]], 'Helvetica-Bold');
  doc.fillColor('black');
  cells(doc, y, [['', 52], [r.severity, 38], [r.section.id, 40], [cut(`${r.title} [${r.ruleId}]`, 120), WIDTH - 130]]);
  const e = r.evidence[0];
  const ev = e ? `observed: ${e.observed} | expected: ${e.expected}${e.source ? ` | ${e.source}` : ''}` : '';
  const waiver = r.waiver ? `waiver: ${r.waiver.justification} (${r.waiver.approver}, until ${r.waiver.expiresAt.toISOString().slice(0, 10)})  ` : '';
  doc.fillColor(COLORS.muted);
  cells(doc, y + 10, [['', 130], [cut(`${waiver}${ev}${r.evidence.length > 1 ? ` (+${r.evidence.length - 1} more)` : ''}`, 150), WIDTH - 130]], 'Helvetica', 7);
  doc.fillColor('black');
}
