import PDFDocument from 'pdfkit';
import type { ReportContext } from './context';
import { FULL_DETAIL_HOSTS } from './html';
import { byExpiry, drawCover, drawExecutiveSummary, collectHighlights } from './pdf/summary-pages';
import { drawHostFailures, drawAppendix } from './pdf/host-pages';
import { drawVulnerabilities } from './pdf/vulnerability-pages';
import { collectVulnerabilities, vulnerabilitySentence } from './vulnerabilities';
import { Layout, MARGIN } from './pdf/layout';

/**
 * The PDF an auditor reads (pdfkit, no browser): a cover (scope, as-of time, profile, signer),
 * an executive summary (scores, trend, known vulnerabilities, top risks, waivers in force, hosts,
 * sections), the known-vulnerability findings most urgent first, each host's failures and errors
 * with their evidence, and an appendix with every verdict per rule
 * and host (pass and not applicable included) for fleets of up to FULL_DETAIL_HOSTS hosts.
 * Tagged (structure tree, headings, tables) with a document outline; pages are streamed out
 * as they fill.
 */
async function* drain(queue: Buffer[]): AsyncGenerator<Buffer> {
  while (queue.length) yield queue.shift() as Buffer;
}

export async function* pdfReport(ctx: ReportContext): AsyncGenerator<Buffer> {
  const s = await ctx.summarize();
  const d = ctx.describe();
  const highlights = await collectHighlights(ctx);
  const trend = await ctx.source.scoreTrend();
  const vulnerabilities = await collectVulnerabilities(ctx);
  highlights.waivers = [...highlights.waivers, ...vulnerabilities.waivers].sort(byExpiry);
  const doc = new PDFDocument({
    size: 'A4',
    // Our layout places every line itself; the small bottom margin only keeps pdfkit from paging on its own.
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: 8 },
    autoFirstPage: false,
    compress: true,
    tagged: true,
    lang: 'en',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: `Plumbline compliance report: ${d.scope} as of ${d.asOf}`,
      Author: 'Plumbline',
      Subject: `report ${ctx.id}`,
      CreationDate: ctx.generatedAt,
    },
  });
  const queue: Buffer[] = [];
  doc.on('data', (b: Buffer) => queue.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const layout = new Layout(doc, `Plumbline compliance report ${ctx.id} - ${d.scope} - as of ${d.asOf}`);

  drawCover(layout, ctx, s);
  drawExecutiveSummary(layout, ctx, s, highlights, trend, vulnerabilitySentence(vulnerabilities.summary));
  yield* drain(queue);
  drawVulnerabilities(layout, ctx, vulnerabilities);
  yield* drain(queue);

  const full = s.hosts.length <= FULL_DETAIL_HOSTS;
  const appendix = ctx.options.appendix ?? true;
  for await (const chunk of drawHostFailures(layout, ctx)) if (chunk && queue.length) yield* drain(queue);
  // Without the appendix (appendix=false) the failures' introduction says where the rest is.
  if (appendix && full) {
    for await (const chunk of drawAppendix(layout, ctx, s.hosts)) if (chunk && queue.length) yield* drain(queue);
  } else if (appendix) {
    layout.newPage();
    layout.heading(layout.root, 1, 'Appendix: every verdict (omitted)');
    layout.block(
      layout.root,
      'P',
      `With more than ${FULL_DETAIL_HOSTS} hosts the verdicts by rule and host are left to the CSV and JSON reports, which carry every one.`,
      { font: 'Helvetica', size: 8.5 },
    );
  }

  layout.root.end();
  doc.end();
  await ended;
  yield* drain(queue);
}
