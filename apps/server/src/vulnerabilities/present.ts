import type { FeedStatus, FleetVulnerabilityQuery, HostVulnerabilityQuery } from '@plumbline/protocol/vulnerabilities';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { FeedRow } from './repository';

/** How the vulnerability routes present stored findings: filters from the query, CSV, feed status. */
const BANDS = { critical: [70, 100], high: [50, 69], medium: [30, 49], low: [0, 29] } as const;
export const EXPOSURE_RANK = { network: 0, service: 1, installed: 2, not_running: 3 } as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula starts defused. */
const csvField = (v: unknown) => {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
export const csv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

/** Answers with a CSV body as a download named `filename`. */
export const sendCsv = (reply: FastifyReply, filename: string, body: string) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer((x: string) => x)
    .send(body as never);

export const feedStatus = (rows: FeedRow[]): FeedStatus[] =>
  rows.map((f) => ({
    kind: f.kind as FeedStatus['kind'],
    version: f.version,
    records: f.records,
    origin: f.origin,
    importedAt: f.importedAt.toISOString(),
  }));

export function filters(q: z.infer<typeof FleetVulnerabilityQuery> | z.infer<typeof HostVulnerabilityQuery>) {
  const band = q.band ? BANDS[q.band] : null;
  return {
    cve: q.cve,
    package: q.package,
    exposure: q.exposure,
    state: q.state,
    kev: q.kev,
    notRunning: q.notRunning,
    waived: q.waived,
    ...(band && { minPriority: band[0], maxPriority: band[1] }),
  };
}
