import { arfClose, arfOpen, arfReport } from '@plumbline/benchmarks/format/arf';
import { benchmarkClose, benchmarkOpen, contentVersion, testResultXml, type TestResultInput } from '@plumbline/benchmarks/format/xccdf';
import type { ReportContext } from './context';
import type { HostResults } from './source';
import type { HostLine } from './summary';

/**
 * XCCDF 1.2 and ARF 1.1 exports: the Benchmark of the content the server evaluates with, then
 * one TestResult per host in scope (its verdicts as of the report's time), streamed host by
 * host. The XML itself comes from the pure writers in @plumbline/benchmarks/format, which the
 * agent's `scan --format xccdf` uses too.
 */
const FACT = 'https://plumbline.dev/ns/xccdf/fact';

function testResult(ctx: ReportContext, { host, results }: HostResults, line: HostLine | undefined): TestResultInput {
  const profile = ctx.options.profile ?? host.profileId;
  const facts: [string, string][] = [
    [`${FACT}/host-id`, host.id],
    ...(host.os ? [[`${FACT}/os`, host.os] as [string, string]] : []),
    ...(host.osId ? [[`${FACT}/os-id`, host.osId] as [string, string]] : []),
    ...(host.osVersion ? [[`${FACT}/os-version`, host.osVersion] as [string, string]] : []),
    ...(host.group ? [[`${FACT}/group`, host.group] as [string, string]] : []),
    ...host.tags.map((t): [string, string] => [`${FACT}/tag`, t]),
  ];
  return {
    name: host.id,
    hostname: host.hostname,
    facts,
    profileId: profile && ctx.source.content.profiles.has(profile) ? profile : null,
    endTime: ctx.source.at,
    results,
    score: line?.score ?? null,
    scoreWithWaivers: line?.scoreWithWaivers ?? line?.score ?? null,
    version: contentVersion(ctx.source.content),
  };
}

const benchmarkOptions = (ctx: ReportContext) => ({ generatedAt: ctx.generatedAt, version: contentVersion(ctx.source.content) });

export async function* xccdfReport(ctx: ReportContext): AsyncGenerator<string> {
  const { hosts } = await ctx.summarize();
  const lines = new Map(hosts.map((h) => [h.id, h]));
  yield benchmarkOpen(ctx.source.content, benchmarkOptions(ctx));
  for await (const hr of ctx.source.hosts(true)) yield testResultXml(testResult(ctx, hr, lines.get(hr.host.id)));
  yield benchmarkClose();
}

export async function* arfReportWriter(ctx: ReportContext): AsyncGenerator<string> {
  const { hosts } = await ctx.summarize();
  const lines = new Map(hosts.map((h) => [h.id, h]));
  yield arfOpen(
    ctx.source.content,
    benchmarkOptions(ctx),
    hosts.map((h) => ({ name: h.id, hostname: h.hostname })),
  );
  let n = 0;
  for await (const hr of ctx.source.hosts(true)) {
    yield arfReport(testResult(ctx, hr, lines.get(hr.host.id)));
    n++;
  }
  yield arfClose(n);
}
