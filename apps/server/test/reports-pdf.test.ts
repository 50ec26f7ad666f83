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
import { sample } from './vulnerable-host';

/**
 * The fixture fleet's PDF report, read as a reader reads it (poppler's word boxes): no two
 * words overlap, none is past the margins, statuses are whole words, evidence is sentences,
 * and seven hosts take about a dozen pages. Needs poppler-utils (pdftotext, pdfinfo).
 */
const t = await build();
const { admin } = await seedFixtureFleet(t);

/**
 * Advisories in the Debian tracker's shape for the packages the fixture's bookworm hosts really
 * have (openssh-server on three, sudo on two, mosquitto on the edge gateway...), one of them in
 * CISA's catalogue, and a group waiver for one CVE: the report's known-vulnerability section.
 */
const beforeFindings = new Date().toISOString();
const advisory = (status: string, urgency: string, fixed?: string) => ({
  description: 'a fixture advisory',
  scope: 'remote',
  releases: { bookworm: { status, repositories: {}, urgency, ...(fixed && { fixed_version: fixed }) } },
});
const tracker = {
  'openssh-server': { 'CVE-2099-2001': advisory('resolved', 'high', '1:9.2p1-2+deb12u4') },
  sudo: { 'CVE-2099-2002': advisory('open', 'medium') },
  libc6: { 'CVE-2099-2003': advisory('resolved', 'low', '2.36-9+deb12u9') },
  mosquitto: { 'CVE-2099-2004': advisory('resolved', 'high', '2.0.11-1.2+deb12u2') },
  inetutils: { 'CVE-2099-2005': advisory('open', 'unimportant') },
};
const kev = JSON.parse(sample('kev.json').toString('utf8')) as { count: number; vulnerabilities: Record<string, unknown>[] };
kev.vulnerabilities.push({ ...kev.vulnerabilities[0], cveID: 'CVE-2099-2004' });
kev.count = kev.vulnerabilities.length;
await t.app.vulnerabilities.importFeed(Buffer.from(JSON.stringify(tracker)), 'fixture-tracker.json', 'system');
await t.app.vulnerabilities.importFeed(Buffer.from(JSON.stringify(kev)), 'kev.json', 'system');
await t.app.vulnerabilities.refresh();
await t.app.vulnerabilities.idle();
const waived = await fetch(`${t.url}/api/v1/waivers`, {
  method: 'POST',
  headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    cve: 'CVE-2099-2002',
    scope: { type: 'group', id: 'fixtures' },
    justification: 'sudo is reachable by administrators only until the fixed package ships',
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  }),
});
expect(waived.status).toBe(201);
const cveWaiver = ((await waived.json()) as { id: string }).id;
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
    // The known-vulnerability table is among what is checked.
    expect(text(pages)).toContain('Known vulnerabilities As of');
  });

  it('reads as an auditor expects: cover, summary with trend, risks and waivers, per-host evidence, appendix', async () => {
    const pages = pdfWords((await defaultPdf()).file);
    const all = text(pages);
    // Seven hosts, about 450 failures with their evidence: 42 pages in 2026-11, 21 before failures repeated
    // from another host were listed in one paragraph; the known vulnerabilities take about a page more.
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.length).toBeLessThanOrEqual(15);
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

  it('lists the known vulnerabilities as of its date, most urgent first, with package, versions, exposure, hosts and waiver', async () => {
    const all = text(pdfWords((await defaultPdf()).file));
    const section = all.slice(all.indexOf('Known vulnerabilities As of'), all.indexOf('Failures and errors by host'));
    expect(section).toContain('10 findings of 5 CVEs on 3 hosts');
    // The same findings as the JSON report's, in priority order.
    const json = (await (await fetch(`${t.url}/api/v1/reports?format=json`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      vulnerabilities: { findings: { cve: string; priority: number; waiver: { id: string } | null }[] };
    };
    const byPriority = [...json.vulnerabilities.findings].sort((a, b) => b.priority - a.priority).map((f) => f.cve);
    expect(section.match(/CVE-2099-\d+/g)).toEqual([...new Set(byPriority)]);
    expect(byPriority[0]).toBe('CVE-2099-2004');
    // One row per finding alike on several hosts: the package, installed -> fixed, how it is exposed, where, and whether waived.
    expect(section).toMatch(
      /critical \d+ CVE-2099-2004 high, known exploited \(KEV\) mosquitto 2\.0\.11-1\.2\+deb12u1 -> 2\.0\.11-1\.2\+deb12u2 Listens on the network/,
    );
    expect(section).toMatch(/CVE-2099-2001 .*openssh-server 1:9\.2p1-2\+deb12u3 -> 1:9\.2p1-2\+deb12u4/);
    expect(section).toMatch(/deb12-default, 0\.0\.0\.0:22\/tcp deb12-hardened, \[::\]:22\/tcp6 edge-gw-17/);
    expect(section).toMatch(
      /CVE-2099-2002 medium sudo 1\.9\.13p3-1\+deb12u1 -> no fix yet Installed only deb12-default, deb12-hardened Waived until \d{4}-\d\d-\d\d/,
    );
    expect(section.match(/Waived until/g)).toHaveLength(1);
    // The CVE waiver is in the register of waivers in force, with its scope and hosts.
    expect(all).toMatch(/CVE-2099-2002 \(known vulnerability\) group fixtures sudo is reachable by administrators only/);
    expect(json.vulnerabilities.findings.filter((f) => f.waiver).map((f) => [f.cve, f.waiver?.id])).toEqual([
      ['CVE-2099-2002', cveWaiver],
      ['CVE-2099-2002', cveWaiver],
    ]);

    // As of a moment before any advisory was imported, the hosts had no known vulnerability.
    const before = text(pdfWords((await pdf(`format=pdf&appendix=false&asOf=${beforeFindings}`)).file));
    expect(before).toContain('Known vulnerabilities: No known vulnerability on the hosts in scope.');
    expect(before.match(/CVE-2099-\d+/g)).toBeNull();
  });

  it('the HTML report has the same known-vulnerability section: the same rows in the same order, the waiver marked', async () => {
    const res = await fetch(`${t.url}/api/v1/reports?format=html`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const section = html.slice(html.indexOf('<h2>Known vulnerabilities</h2>'), html.indexOf('<h2>Results and evidence</h2>'));
    expect(section).toContain('10 findings of 5 CVEs on 3 hosts');
    const pdfSection = text(pdfWords((await defaultPdf()).file));
    const pdfOrder = pdfSection
      .slice(pdfSection.indexOf('Known vulnerabilities As of'))
      .match(/CVE-2099-\d+/g)!
      .slice(0, 5);
    expect([...new Set(section.match(/<b>CVE-2099-\d+<\/b>/g)!.map((m) => m.slice(3, -4)))]).toEqual(pdfOrder);
    expect(section).toMatch(/<b>CVE-2099-2002<\/b>.*?<span class="waived">Waived until \d{4}-\d\d-\d\d<\/span>/);
    expect(section.match(/class="waived"/g)).toHaveLength(1);
    expect(section).toContain('mosquitto</td><td>2.0.11-1.2+deb12u1 → 2.0.11-1.2+deb12u2</td><td>Listens on the network');
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

  it('keeps a known-vulnerability table of several pages readable: rows whole, headers repeated, nothing overlapping', async () => {
    // Six advisories for each of a dozen packages of the bookworm hosts, fixed, open or unimportant.
    const sources = [
      'openssh-server',
      'sudo',
      'libc6',
      'mosquitto',
      'inetutils',
      'avahi-daemon',
      'rpcbind',
      'nfs-utils',
      'xinetd',
      'chrony',
      'cron',
      'rsyslog',
    ];
    const statuses = [
      ['resolved', 'high', '9:99'],
      ['open', 'medium'],
      ['resolved', 'low', '9:99'],
      ['open', 'unimportant'],
      ['resolved', 'medium', '9:99'],
      ['open', 'high'],
    ] as const;
    const big = Object.fromEntries(
      sources.map((src, i) => [
        src,
        Object.fromEntries(statuses.map(([st, urg, fx], j) => [`CVE-2099-${3000 + i * 10 + j}`, advisory(st, urg, fx)])),
      ]),
    );
    await t.app.vulnerabilities.importFeed(Buffer.from(JSON.stringify(big)), 'fixture-tracker-large.json', 'system');
    await t.app.vulnerabilities.refresh();
    await t.app.vulnerabilities.idle();
    const pages = pdfWords((await pdf('format=pdf&appendix=false&scope=group:fixtures')).file);
    const faults = layoutFaults(pages, MARGINS);
    expect(faults.overlaps.slice(0, 5)).toEqual([]);
    expect(faults.outside.slice(0, 5)).toEqual([]);
    const withTable = pages.filter((p) => p.words.some((w) => /^CVE-2099-3\d+$/.test(w.text)));
    expect(withTable.length).toBeGreaterThanOrEqual(2);
    // Each page of the table starts with its header row.
    for (const p of withTable) expect(p.words.map((w) => w.text).join(' ')).toContain('Priority CVE Package Installed -> fixed Exposure');
  });
});
