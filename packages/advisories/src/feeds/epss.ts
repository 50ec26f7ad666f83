import { type EpssScore, FeedError } from '../types';

// FIRST EPSS daily CSV (epss.cyentia.com/epss_scores-current.csv.gz):
//   #model_version:v2025.03.14,score_date:2025-06-01T12:55:00Z
//   cve,epss,percentile
//   CVE-1999-0001,0.0121,0.78
export function looksLikeEpss(text: string): boolean {
  return /^(#model_version:|cve,epss,percentile)/.test(text.trimStart());
}

export function parseEpss(text: string): { scores: EpssScore[]; version: string | null } {
  // The file ends with a newline; a cut one ends mid-row.
  if (!text.endsWith('\n')) throw new FeedError('PLUMBLINE_ERR_FEED_TRUNCATED', 'EPSS CSV: the last row has no end of line (a cut file?)');
  const lines = text.split(/\r?\n/);
  let version: string | null = null;
  let i = 0;
  const meta = /^#model_version:([^,]*)(?:,score_date:(.*))?$/.exec(lines[0] ?? '');
  if (meta) {
    version = meta[2]?.trim() || meta[1]?.trim() || null;
    i = 1;
  }
  if (lines[i]?.trim() !== 'cve,epss,percentile')
    throw new FeedError('PLUMBLINE_ERR_FEED_MALFORMED', `EPSS CSV line ${i + 1}: header is not cve,epss,percentile`);
  const scores: EpssScore[] = [];
  for (let n = i + 1; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line === '') continue;
    const [cve, e, p, extra] = line.split(',');
    const epss = Number(e);
    const percentile = Number(p);
    if (
      !cve ||
      !/^CVE-\d+-\d+$/.test(cve) ||
      extra !== undefined ||
      !(epss >= 0 && epss <= 1) ||
      !(percentile >= 0 && percentile <= 1) ||
      p === ''
    ) {
      throw new FeedError(
        'PLUMBLINE_ERR_FEED_MALFORMED',
        `EPSS CSV line ${n + 1}: not "CVE-id,probability,percentile": ${line.slice(0, 80)}`,
      );
    }
    scores.push({ cve, epss, percentile });
  }
  if (!scores.length) throw new FeedError('PLUMBLINE_ERR_FEED_TRUNCATED', 'EPSS CSV: no scores');
  return { scores, version };
}
