import type { ReportContext } from './context';
import type { ReportResult } from './source';
import type { Figures, GroupLine, ReportSummary } from './summary';
import { collectVulnerabilities, EXPOSURE, vulnerabilitySentence, type VulnerabilityRows } from './vulnerabilities';

/**
 * One self-contained HTML file: inline CSS, inline SVG charts, no script, no remote asset
 * (it must open the same in an archive years later). Every value is escaped.
 */
export const esc = (v: unknown) =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Up to this many hosts, every result is listed with its evidence; above, failures and errors only. */
export const FULL_DETAIL_HOSTS = 25;

const COLORS = { pass: '#2e7d32', fail: '#c62828', waived: '#ef6c00', notapplicable: '#9e9e9e', error: '#6a1b9a' };

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;margin:0;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}
.meta{color:#5b6475;font-size:13px}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:12.5px;margin:6px 0}
th,td{border:1px solid #dfe3ea;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.s-pass{color:${COLORS.pass};font-weight:600}.s-fail{color:${COLORS.fail};font-weight:600}.s-error{color:${COLORS.error};font-weight:600}.s-notapplicable{color:#757575}
.waived{color:${COLORS.waived};font-weight:600}
pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace}
.charts{display:flex;gap:16px;flex-wrap:wrap}.chart{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px}
details{background:#fff;border:1px solid #d5d9e0;border-radius:6px;margin:8px 0;padding:6px 10px}summary{cursor:pointer}
@media print{body{background:#fff}details{border:0}details>summary{list-style:none}}
`;

const fmt = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)}%`);

function statusBar(c: ReportSummary['counts']): string {
  const parts: [string, number, string][] = [
    ['pass', c.pass, COLORS.pass],
    ['fail', c.fail - c.waived, COLORS.fail],
    ['waived', c.waived, COLORS.waived],
    ['n/a', c.notapplicable, COLORS.notapplicable],
    ['error', c.error, COLORS.error],
  ];
  const total = Math.max(1, c.total);
  let x = 0;
  const rects = parts
    .map(([name, n, color]) => {
      const w = (n / total) * 560;
      const r = `<rect x="${x.toFixed(1)}" y="20" width="${w.toFixed(1)}" height="22" fill="${color}"><title>${esc(name)}: ${n}</title></rect>`;
      x += w;
      return r;
    })
    .join('');
  const legend = parts
    .map(
      ([name, n, color], i) =>
        `<rect x="${i * 112}" y="52" width="10" height="10" fill="${color}"/><text x="${i * 112 + 14}" y="61" font-size="11">${esc(name)} ${n}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="570" height="70" role="img" aria-label="results by status"><text x="0" y="12" font-size="12" font-weight="600">Results by status</text>${rects}${legend}</svg>`;
}

function histogram(d: number[]): string {
  const max = Math.max(1, ...d);
  const bars = d
    .map((n, i) => {
      const h = (n / max) * 100;
      return `<rect x="${i * 34 + 4}" y="${120 - h}" width="28" height="${h}" fill="${i >= 8 ? COLORS.pass : i >= 5 ? COLORS.waived : COLORS.fail}"><title>${i * 10}-${i * 10 + 10}%: ${n} hosts</title></rect><text x="${i * 34 + 18}" y="134" font-size="9" text-anchor="middle">${i * 10}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="350" height="140" role="img" aria-label="hosts by score"><text x="0" y="12" font-size="12" font-weight="600">Hosts by score (%)</text>${bars}</svg>`;
}

function groupBars(groups: GroupLine[]): string {
  const shown = groups.slice(0, 40);
  const rows = shown
    .map((g, i) => {
      const y = 20 + i * 16;
      const w = ((g.score ?? 0) / 100) * 300;
      return `<text x="0" y="${y + 10}" font-size="10">${esc(`${g.id} ${g.name}`.slice(0, 38))}</text><rect x="230" y="${y}" width="300" height="11" fill="#eef1f5"/><rect x="230" y="${y}" width="${w.toFixed(1)}" height="11" fill="${COLORS.pass}"><title>${esc(g.id)}: ${fmt(g.score)}</title></rect><text x="536" y="${y + 10}" font-size="10">${fmt(g.score)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="580" height="${30 + shown.length * 16}" role="img" aria-label="score by section"><text x="0" y="12" font-size="12" font-weight="600">Score by ${groups.length > shown.length ? `section (first ${shown.length})` : 'section'}</text>${rows}</svg>`;
}

const countsCells = (f: Figures) =>
  `<td class="n">${f.counts.pass}</td><td class="n">${f.counts.fail}</td><td class="n">${f.counts.waived}</td><td class="n">${f.counts.notapplicable}</td><td class="n">${f.counts.error}</td><td class="n">${fmt(f.score)}</td><td class="n">${fmt(f.scoreWithWaivers)}</td>`;
const countsHead = '<th>pass</th><th>fail</th><th>waived</th><th>n/a</th><th>error</th><th>score</th><th>with waivers</th>';

function evidenceHtml(r: ReportResult): string {
  return r.evidence
    .map((e) => `<pre>expected: ${esc(e.expected)}\nobserved: ${esc(e.observed)}${e.source ? `\nsource: ${esc(e.source)}` : ''}</pre>`)
    .join('');
}

function resultRow(r: ReportResult): string {
  const status = r.waived
    ? `<span class="s-fail">fail</span> <span class="waived">waived</span>`
    : `<span class="s-${esc(r.status)}">${esc(r.status)}</span>`;
  const waiver = r.waiver
    ? `<br><small>${esc(r.waiver.justification)} — ${esc(r.waiver.approver)}, until ${esc(r.waiver.expiresAt.toISOString().slice(0, 10))}</small>`
    : '';
  const refs = [
    r.references.cis.length ? `CIS ${r.references.cis.join(', ')}` : '',
    r.references.nist.join(', '),
    r.references.iso27001.join(', '),
  ]
    .filter(Boolean)
    .join('; ');
  return `<tr><td>${status}${waiver}</td><td>${esc(r.severity)}</td><td>${esc(r.section.id)}</td><td><b>${esc(r.title)}</b><br><small>${esc(r.ruleId)}${refs ? ` · ${esc(refs)}` : ''}</small></td><td>${evidenceHtml(r)}</td><td>${esc(r.firstFailedAt?.toISOString() ?? '')}</td></tr>`;
}

/** The known-vulnerability section: the same rows as the PDF's, most urgent first. */
function vulnerabilitiesHtml(v: VulnerabilityRows, waivers: boolean): string {
  const feeds = v.feeds.length
    ? `Matched against ${v.feeds.map((f) => `${f.kind}${f.version ? ` ${f.version}` : ''} (imported ${f.importedAt.toISOString().slice(0, 10)})`).join(', ')}.`
    : 'No advisory data has been imported (plumbline vulndb import): no finding can be listed.';
  const more =
    v.total > v.rows.length
      ? ` The ${v.rows.length} most urgent of ${v.total} rows are listed; the JSON and CSV reports carry every finding.`
      : '';
  let html = `<h2>Known vulnerabilities</h2><p>${esc(vulnerabilitySentence(v.summary))}</p><p class="meta">${esc(feeds)} Priority 0-100 ranks what is reachable first.${waivers ? '' : ' Waivers are ignored in this report.'}${esc(more)}</p>\n`;
  if (!v.rows.length) return html;
  html +=
    '<table><thead><tr><th>priority</th><th>CVE</th><th>package</th><th>installed → fixed</th><th>exposure</th><th>hosts</th><th>waived</th></tr></thead><tbody>';
  for (const { finding: f, hosts, hostCount, listeners } of v.rows) {
    const scores = [
      f.cvss !== null ? `CVSS ${f.cvss}` : f.severity,
      f.epss !== null ? `EPSS ${(f.epss * 100).toFixed(1)}%` : '',
      f.kev ? 'known exploited (KEV)' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const more = hostCount > hosts.length ? ` and ${hostCount - hosts.length} more` : '';
    html += `<tr><td class="n">${f.priority}</td><td><b>${esc(f.cve)}</b><br><small>${esc(scores)}</small></td><td>${esc(f.source)}</td><td>${esc(f.installedVersion)} → ${esc(f.fixedVersion ?? 'no fix yet')}</td><td>${esc(EXPOSURE[f.exposure] ?? f.exposure)}${listeners.size ? `<br><small>${esc([...listeners].join(' '))}</small>` : ''}</td><td>${esc(hosts.join(', '))}${more}</td><td>${f.waiver ? `<span class="waived">Waived until ${esc(new Date(f.waiver.expiresAt).toISOString().slice(0, 10))}</span>` : ''}</td></tr>`;
  }
  return `${html}</tbody></table>\n`;
}

export async function* htmlReport(ctx: ReportContext): AsyncGenerator<string> {
  const { summary, hosts, groups } = await ctx.summarize();
  const d = ctx.describe();
  const full = hosts.length <= FULL_DETAIL_HOSTS;
  const title = `Plumbline compliance report — ${d.scope}${d.profile ? ` — ${d.profile}` : ''}`;
  yield `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>\n`;
  yield `<h1>${esc(title)}</h1><p class="meta">As of <b>${esc(d.asOf)}</b>${d.pointInTime ? ' (from the stored history)' : ''} · generated ${esc(d.generatedAt)} · profile ${esc(d.profileTitle ?? d.profile ?? "each host's own")}${d.framework ? ` · framework view ${esc(d.framework)}` : ''} · waivers ${d.waivers ? 'applied' : 'ignored'} · report ${esc(ctx.id)} · signing key ${esc(d.keyId)}, fingerprint (SHA-256) ${esc(d.keyFingerprint)}</p>\n`;
  yield `<div class="cards"><div class="card">Hosts<b>${summary.hosts}</b></div><div class="card">Score<b>${fmt(summary.score)}</b></div><div class="card">With waivers<b>${fmt(summary.scoreWithWaivers)}</b></div><div class="card">Failing<b>${summary.counts.fail}</b></div><div class="card">Waived<b>${summary.counts.waived}</b></div><div class="card">Errors<b>${summary.counts.error}</b></div></div>\n`;
  yield `<div class="charts"><div class="chart">${statusBar(summary.counts)}</div><div class="chart">${histogram(summary.distribution)}</div><div class="chart">${groupBars(groups)}</div></div>\n`;
  yield `<h2>${d.framework ? `Controls (${esc(d.framework)})` : 'Sections'}</h2><table><thead><tr><th>${d.framework ? 'control' : 'section'}</th><th>name</th><th>rules</th>${countsHead}</tr></thead><tbody>`;
  yield groups.map((g) => `<tr><td>${esc(g.id)}</td><td>${esc(g.name)}</td><td class="n">${g.rules}</td>${countsCells(g)}</tr>`).join('');
  yield `</tbody></table>\n<h2>Hosts</h2><table><thead><tr><th>host</th><th>group</th><th>OS</th>${countsHead}</tr></thead><tbody>`;
  for (let i = 0; i < hosts.length; i += 500) {
    yield hosts
      .slice(i, i + 500)
      .map(
        (h) =>
          `<tr><td><a href="#h-${esc(h.id)}">${esc(h.hostname)}</a></td><td>${esc(h.group ?? '')}</td><td>${esc(h.os ?? '')}</td>${countsCells(h)}</tr>`,
      )
      .join('');
  }
  yield `</tbody></table>\n${vulnerabilitiesHtml(await collectVulnerabilities(ctx), d.waivers)}`;
  yield `<h2>Results and evidence</h2><p class="meta">${full ? 'Every result of every host, by section.' : `Failures and errors of every host, by section (${hosts.length} hosts: passing results are counted above and listed in the CSV and JSON reports).`}</p>\n`;
  for await (const { host, results } of ctx.source.hosts(true)) {
    const shown = full ? results : results.filter((r) => r.status === 'fail' || r.status === 'error');
    const fails = results.filter((r) => r.status === 'fail').length;
    yield `<details id="h-${esc(host.id)}"${full ? ' open' : ''}><summary><b>${esc(host.hostname)}</b> · ${esc(host.group ?? 'no group')} · ${esc(host.os ?? '')} · ${fails} failing of ${results.length}</summary>`;
    if (shown.length) {
      let html =
        '<table><thead><tr><th>status</th><th>severity</th><th>section</th><th>rule</th><th>evidence</th><th>first failed</th></tr></thead><tbody>';
      for (const r of shown) html += resultRow(r);
      yield `${html}</tbody></table>`;
    } else yield '<p>No failures or errors.</p>';
    yield '</details>\n';
  }
  yield `<p class="meta">Signed with Ed25519 over the SHA-512 of this file's bytes; check with <code>plumbline verify FILE --key-fingerprint ${esc(d.keyFingerprint)}</code>.</p></main></body></html>\n`;
}
