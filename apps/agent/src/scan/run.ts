import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { FactSet } from '@plumbline/protocol/facts';
import { bundledContent } from '@plumbline/benchmarks/content';
import { evaluate, type Result } from '@plumbline/benchmarks/engine';
import { remediationAnsible, remediationBash, toJunit, type Report } from '@plumbline/benchmarks/format';
import { arfDocument } from '@plumbline/benchmarks/format/arf';
import {
  OscapInputError,
  assertComparable,
  compareWithOscap,
  parseOscapResult,
  renderComparison,
  type OscapResultFile,
} from '@plumbline/benchmarks/format/compare-oscap';
import { contentVersion, xccdfDocument, type TestResultInput } from '@plumbline/benchmarks/format/xccdf';
import { ContentError, formatProblem, type Content } from '@plumbline/benchmarks/load';
import { score } from '@plumbline/benchmarks/score';
import { applyTailoring, selectAll, selectProfile, type Selection } from '@plumbline/benchmarks/tailoring';
import { ruleParams } from '@plumbline/benchmarks/engine';
import { collectFacts } from '../collectors/index';
import { CliError, ExitCode } from '../printer';
import { renderTable } from './table';

export const FORMATS = ['table', 'json', 'junit', 'xccdf', 'arf'] as const;
export const REMEDIATIONS = ['bash', 'ansible'] as const;

export interface ScanOptions {
  root?: string;
  profile?: string;
  tailoring?: string;
  format: string;
  failUnder?: string;
  remediation?: string;
  /** An OpenSCAP XCCDF 1.2 or ARF result to compare with, rule by rule. */
  compareOscap?: string;
}

export interface ScanOutput {
  text: string;
  exitCode: number;
}

/** Checks the arguments before any work, so a typo costs nothing and says what is wrong. */
export function parseScanOptions(o: ScanOptions): {
  format: (typeof FORMATS)[number];
  failUnder: number | null;
  remediation: (typeof REMEDIATIONS)[number] | null;
} {
  if (!(FORMATS as readonly string[]).includes(o.format)) throw new CliError(`--format: '${o.format}' is not one of ${FORMATS.join(', ')}`);
  let failUnder: number | null = null;
  if (o.failUnder !== undefined) {
    failUnder = Number(o.failUnder);
    if (!/^\d+(\.\d+)?$/.test(o.failUnder) || failUnder > 100)
      throw new CliError(`--fail-under: '${o.failUnder}' is not a score between 0 and 100`);
  }
  if (o.remediation !== undefined && !(REMEDIATIONS as readonly string[]).includes(o.remediation)) {
    throw new CliError(`--remediation: '${o.remediation}' is not one of ${REMEDIATIONS.join(', ')}`);
  }
  if (o.profile && o.tailoring) throw new CliError('--profile and --tailoring: give one (a tailoring names its profile with `extends`)');
  if (o.compareOscap !== undefined) {
    if (o.format !== 'table' && o.format !== 'json')
      throw new CliError(`--compare-oscap prints a comparison: --format table or json, not '${o.format}'`);
    if (o.remediation !== undefined) throw new CliError('--compare-oscap and --remediation: give one');
    if (o.failUnder !== undefined) throw new CliError('--compare-oscap and --fail-under: give one');
  }
  return {
    format: o.format as (typeof FORMATS)[number],
    failUnder,
    remediation: (o.remediation as (typeof REMEDIATIONS)[number] | undefined) ?? null,
  };
}

export async function selectRules(content: Content, o: Pick<ScanOptions, 'profile' | 'tailoring'>): Promise<Selection> {
  if (o.tailoring) {
    const text = await readFile(o.tailoring, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new CliError(`--tailoring: cannot read ${o.tailoring} (${e.code ?? e.message})`);
    });
    try {
      return applyTailoring(content, o.tailoring, text);
    } catch (e) {
      if (e instanceof ContentError) throw new CliError(`--tailoring: ${e.problems.map(formatProblem).join('; ')}`);
      throw e;
    }
  }
  if (o.profile) {
    const p = content.profiles.get(o.profile);
    if (!p) throw new CliError(`--profile: unknown profile '${o.profile}' (known: ${[...content.profiles.keys()].join(', ')})`);
    return selectProfile(content, p);
  }
  return selectAll(content);
}

/** Evaluates facts against a selection and renders the chosen output. Pure apart from the clock passed in. */
export function buildReport(
  content: Content,
  sel: Selection,
  facts: FactSet,
  now: Date,
  root: string | null,
): { report: Report; results: Result[] } {
  const results = evaluate(sel.rules, facts, { now, params: sel.params });
  const host = facts.facts.host;
  const report: Report = {
    host: { hostname: host?.hostname ?? root ?? 'unknown', os: host?.os.pretty_name ?? null, root },
    profile: { id: sel.profile, title: sel.title },
    generatedAt: now.toISOString(),
    score: score(results),
    results,
  };
  return { report, results };
}

/** The scan as one XCCDF TestResult: the host's facts as target facts, the profile when the Benchmark has it. */
export function scanTestResult(content: Content, report: Report, facts: FactSet, now: Date): TestResultInput {
  const os = facts.facts.host?.os;
  const fact = 'https://plumbline.dev/ns/xccdf/fact';
  const extra: [string, string][] = [
    ...(report.host.os ? [[`${fact}/os`, report.host.os] as [string, string]] : []),
    ...(os?.id ? [[`${fact}/os-id`, os.id] as [string, string]] : []),
    ...(os?.version_id ? [[`${fact}/os-version`, os.version_id] as [string, string]] : []),
    ...(report.host.root ? [[`${fact}/root`, report.host.root] as [string, string]] : []),
  ];
  return {
    name: report.host.hostname,
    hostname: report.host.hostname,
    facts: extra,
    profileId: report.profile.id && content.profiles.has(report.profile.id) ? report.profile.id : null,
    startTime: now,
    endTime: now,
    results: report.results,
    score: report.score.score,
    scoreWithWaivers: report.score.withWaivers,
    version: contentVersion(content),
  };
}

/** Reads and checks an OpenSCAP result before any scanning: a wrong file costs nothing (exit 2, one line). */
export async function readOscapResult(file: string): Promise<OscapResultFile> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`--compare-oscap: cannot read ${file} (${e.code ?? e.message})`);
  });
  try {
    return parseOscapResult(text);
  } catch (e) {
    if (e instanceof OscapInputError) throw new CliError(`--compare-oscap: ${file}: ${e.message}`);
    throw e;
  }
}

export async function runScan(o: ScanOptions, where: { root: string; live: boolean }, log: Logger, isTty: boolean): Promise<ScanOutput> {
  const opts = parseScanOptions(o);
  const oscapFile = o.compareOscap !== undefined ? await readOscapResult(o.compareOscap) : null;
  // Every rule needs the facts of every collector: a scan of all rules starts collecting
  // first and loads the rules while the collectors wait on their commands and files. A
  // profile or tailoring is checked first, so a wrong one costs nothing.
  const collecting = o.profile || o.tailoring ? null : collectFacts({ ...where, log });
  const content = bundledContent();
  const sel = await selectRules(content, o);
  const facts = await (collecting ?? collectFacts({ ...where, log }));
  const now = new Date();
  const { report } = buildReport(content, sel, facts, now, where.live ? null : where.root);
  if (oscapFile) {
    const comparison = compareWithOscap(content.byId, report.results, oscapFile);
    try {
      assertComparable(comparison);
    } catch (e) {
      if (e instanceof OscapInputError) throw new CliError(`--compare-oscap: ${o.compareOscap}: ${e.message}`);
      throw e;
    }
    if (opts.format === 'json')
      return {
        text: JSON.stringify({ host: report.host, generatedAt: report.generatedAt, ...comparison }, null, 2),
        exitCode: ExitCode.ok,
      };
    const target = oscapFile.testResult.target;
    const host = report.host.hostname;
    const note =
      target && target !== host && !target.startsWith(`${host}.`) ? `OpenSCAP scanned '${target}', this scan is of '${host}'` : undefined;
    return {
      text: renderComparison(comparison, {
        host: `${host}${report.host.root ? ` (tree ${report.host.root})` : ''}, ${report.generatedAt}`,
        note,
      }),
      exitCode: ExitCode.ok,
    };
  }
  const s = report.score.withWaivers;
  const exitCode = opts.failUnder !== null && s !== null && s < opts.failUnder ? ExitCode.belowThreshold : ExitCode.ok;
  if (opts.remediation) {
    const input = {
      results: report.results,
      rules: content.byId,
      params: (r: Parameters<typeof ruleParams>[0]) => ruleParams(r, sel.params[r.id]),
    };
    const header = `${report.host.hostname}, profile ${sel.profile ?? 'all'}, ${now.toISOString()}`;
    return { text: opts.remediation === 'bash' ? remediationBash(input, header) : remediationAnsible(input, header), exitCode };
  }
  if (opts.format === 'json') return { text: JSON.stringify(report, null, 2), exitCode };
  if (opts.format === 'junit') return { text: toJunit(report), exitCode };
  if (opts.format === 'xccdf' || opts.format === 'arf') {
    const write = opts.format === 'xccdf' ? xccdfDocument : arfDocument;
    return {
      text: write(content, { generatedAt: now, version: contentVersion(content) }, [scanTestResult(content, report, facts, now)]).trimEnd(),
      exitCode,
    };
  }
  return { text: renderTable(report, { color: isTty }), exitCode };
}
