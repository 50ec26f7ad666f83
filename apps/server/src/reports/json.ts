import type { ReportContext } from './context';
import type { ReportHost, ReportResult } from './source';
import { vulnerabilitiesJson } from './vulnerabilities';

/** One result as `scan --format json` prints it, plus its host and timestamps. */
export function resultJson(host: ReportHost, r: ReportResult) {
  return {
    host: { id: host.id, hostname: host.hostname, group: host.group, tags: host.tags, os: host.os },
    ruleId: r.ruleId,
    title: r.title,
    severity: r.severity,
    levels: r.levels,
    section: r.section,
    status: r.status,
    waived: Boolean(r.waived),
    waiver: r.waiver
      ? {
          id: r.waiver.id ?? null,
          justification: r.waiver.justification,
          approver: r.waiver.approver,
          expiresAt: r.waiver.expiresAt.toISOString(),
        }
      : null,
    evidence: r.evidence,
    references: r.references,
    firstFailedAt: r.firstFailedAt?.toISOString() ?? null,
    changedAt: r.changedAt.toISOString(),
  };
}

/**
 * `{ generatedAt, asOf, scope, profile, ..., summary, sections, hosts: [...], results: [...],
 * vulnerabilities: { asOf, findings: [...], summary } }`, written as it is read: the summary and
 * host lines come from a first pass over verdicts, the results (with evidence) from a second, the
 * known-vulnerability findings at the same time last.
 */
export async function* jsonReport(ctx: ReportContext): AsyncGenerator<string> {
  const { summary, hosts, groups } = await ctx.summarize();
  const head = { ...ctx.describe(), reportId: ctx.id, summary, [ctx.options.framework ? 'controls' : 'sections']: groups };
  yield `${JSON.stringify(head).slice(0, -1)},"hosts":[`;
  for (let i = 0; i < hosts.length; i += 500) {
    yield `${i ? ',' : ''}${hosts
      .slice(i, i + 500)
      .map((h) => JSON.stringify(h))
      .join(',')}`;
  }
  yield '],"results":[';
  let first = true;
  for await (const { host, results } of ctx.source.hosts(true)) {
    const parts = results.map((r) => JSON.stringify(resultJson(host, r)));
    if (!parts.length) continue;
    yield `${first ? '' : ','}\n${parts.join(',\n')}`;
    first = false;
  }
  yield '],';
  yield* vulnerabilitiesJson(ctx);
  yield '}\n';
}
