import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MARGIN } from '../src/reports/pdf/layout';
import { LONG_HOST, seedFixtureFleet } from './fixture-fleet';
import { build } from './helper';
import { layoutFaults, pdfWords, type Page } from './pdf-layout';

/**
 * The fixture fleet's PDF report, read as a reader reads it (poppler's word boxes): no two
 * words overlap, none is past the margins, statuses are whole words, evidence is sentences,
 * and seven hosts take about a dozen pages. Needs poppler-utils (pdftotext, pdfinfo).
 */
const t = await build();
const { admin } = await seedFixtureFleet(t);
const dir = mkdtempSync(path.join(tmpdir(), 'plumbline-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARGINS = { x: MARGIN, y: 20 };

async function pdf(query: string): Promise<{ file: string; bytes: Buffer }> {
  const res = await fetch(`${t.url}/api/v1/reports?${query}`, { headers: { authorization: `Bearer ${admin}` } });
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const file = path.join(dir, `${query.replace(/[^a-z0-9]+/gi, '-')}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

// Rendered once and read by several tests: a fleet PDF takes seconds to make.
let fleetPdf: Promise<{ file: string; bytes: Buffer }> | null = null;
const defaultPdf = () => (fleetPdf ??= pdf('format=pdf'));

const text = (pages: Page[]) => pages.map((p) => p.words.map((w) => w.text).join(' ')).join('\n');

describe('the layout check', () => {
  it('finds overlapping words and words past the margin', async () => {
    const doc = new PDFDocument({ size: 'A4', margin: 40 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => doc.on('end', r));
    doc.fontSize(9).text('first line of a cell', 60, 100, { lineBreak: false });
    doc.text('the next row drawn on top', 62, 103, { lineBreak: false });
    doc.text('far-too-long-for-the-page', 540, 200, { lineBreak: false });
    doc.end();
    await done;
    const file = path.join(dir, 'faulty.pdf');
    writeFileSync(file, Buffer.concat(chunks));
    const faults = layoutFaults(pdfWords(file), MARGINS);
    expect(faults.overlaps.length).toBeGreaterThan(0);
    expect(faults.outside).toEqual([expect.stringContaining("'far-too-long")]);
  });
});

describe('PDF report of the fixture fleet', () => {
  it('has no overlapping words and nothing past the margins, on any page', async () => {
    const pages = pdfWords((await defaultPdf()).file);
    const words = pages.reduce((n, p) => n + p.words.length, 0);
    expect(words).toBeGreaterThan(2000);
    const faults = layoutFaults(pages, MARGINS);
    expect(faults.overlaps.slice(0, 5)).toEqual([]);
    expect(faults.outside.slice(0, 5)).toEqual([]);
  });

  it('reads as an auditor expects: cover, summary with trend, risks and waivers, per-host evidence, appendix', async () => {
    const pages = pdfWords((await defaultPdf()).file);
    const all = text(pages);
    // Seven hosts, about 450 failures with their evidence: 42 pages in 2026-11, 21 before failures repeated
    // from another host were listed in one paragraph.
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.length).toBeLessThanOrEqual(14);
    const key = (await (await fetch(`${t.url}/api/v1/reports/public-key`)).json()) as { fingerprint: string };
    expect(text(pages.slice(0, 1))).toContain(key.fingerprint.slice(0, 4));
    expect(all.replace(/\s/g, '')).toContain(key.fingerprint);
    for (const s of [
      'Executive summary',
      'Top risks',
      'Waivers in force',
      'Trend: 48.5%',
      'Failures and errors by host',
      'Appendix',
      LONG_HOST.slice(0, 12),
    ])
      expect(all).toContain(s);
    // The waiver register: justification, approver and expiry.
    expect(all).toContain('cramfs is needed by the firmware');
    expect(all).toMatch(/apikey:fleet-admin/);
    // Evidence as sentences, JSON read as words, statuses whole.
    expect(all).toContain('Expected:');
    expect(all).toContain('Observed:');
    expect(all.match(/.{0,80}(\{"|"\w+":).{0,40}/)?.[0]).toBeUndefined();
    expect(all.match(/.{0,80}notapplicab.{0,40}/)?.[0]).toBeUndefined();
    for (const label of ['Pass', 'Fail', 'Waived', 'N/A', 'Error'])
      expect(pages.flatMap((p) => p.words.map((w) => w.text))).toContain(label);
  });

  it('leaves the appendix out on request (appendix=false), saying where the rest is', async () => {
    const full = pdfWords((await defaultPdf()).file);
    const short = pdfWords((await pdf('format=pdf&appendix=false')).file);
    expect(text(short)).not.toContain('Appendix');
    expect(text(short)).toContain('the CSV and JSON reports carry every verdict');
    expect(short.length).toBeLessThan(full.length);
    const bad = await fetch(`${t.url}/api/v1/reports?format=pdf&appendix=maybe`, { headers: { authorization: `Bearer ${admin}` } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('appendix');
  });

  it('is a tagged PDF with a document outline', async () => {
    const { file, bytes } = await defaultPdf();
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Tagged:\s+yes/);
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/StructTreeRoot/);
    expect(raw).toMatch(/\/Outlines \d+ 0 R/);
    expect(raw).toMatch(/\/Title \(Executive summary\)/);
  });

  it('writes the samples in docs/samples when PLUMBLINE_WRITE_SAMPLES=1', { timeout: 300_000 }, async () => {
    if (process.env.PLUMBLINE_WRITE_SAMPLES !== '1') return;
    const { SAMPLES, writeSamples } = await import('./samples');
    await writeSamples(t.db.prisma, t.app.policy.content);
    expect(readFileSync(path.join(SAMPLES, 'fixture-fleet.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
