import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { Evidence, Result, Status } from '../engine/types';
import type { Rule } from '../schema';

/**
 * A second opinion: an OpenSCAP result (XCCDF 1.2 Benchmark with TestResult, a bare TestResult, or an
 * ARF asset-report-collection) compared rule by rule with our results, through the SSG ids in each
 * rule's `references.ssg`. Pure: the agent (`scan --compare-oscap`) and the server
 * (`POST /api/v1/hosts/:id/oscap-comparison`) both call it.
 *
 * Our verdict on a rule is compared with OpenSCAP's verdict on the SSG rules it references, read as the
 * cross-check test reads them (README, `oscap`): the conjunction of `references.ssg`, except that one
 * member of an `oscap.alternatives` group passing is enough.
 *
 * The file is parsed with saxes (strict XML 1.0 well-formedness and namespaces, no DTD or external
 * entity loading, streaming), so a result is recognised by its namespaced elements, not by text
 * patterns, and whatever the file holds cannot reach anything but these few fields.
 */

export const XCCDF12_NS = 'http://checklists.nist.gov/xccdf/1.2';
export const XCCDF11_NS = 'http://checklists.nist.gov/xccdf/1.1';
export const ARF_NS = 'http://scap.nist.gov/schema/asset-reporting-format/1.1';
export const SSG_RULE_PREFIX = 'xccdf_org.ssgproject.content_rule_';
export const SSG_BENCHMARK_PREFIX = 'xccdf_org.ssgproject.content_benchmark_';

/** The XCCDF 1.2 rule-result values. */
export const XCCDF_RESULTS = [
  'pass',
  'fail',
  'error',
  'unknown',
  'notapplicable',
  'notchecked',
  'notselected',
  'informational',
  'fixed',
] as const;
export type XccdfResult = (typeof XCCDF_RESULTS)[number];

export type OscapInputProblem = 'not-xml' | 'not-a-result' | 'no-test-result' | 'other-benchmark';

/** Bad input: `problem` says which kind, the message is one line a person can act on. */
export class OscapInputError extends Error {
  constructor(
    readonly problem: OscapInputProblem,
    message: string,
  ) {
    super(message);
  }
}

/** What we read from an OpenSCAP result file. */
export interface OscapResultFile {
  format: 'xccdf' | 'arf';
  /** Benchmark id (from the Benchmark element or the TestResult's `benchmark`), or null. */
  benchmark: string | null;
  testResult: {
    id: string;
    profile: string | null;
    target: string | null;
    startTime: string | null;
    endTime: string | null;
    /** OpenSCAP version from test-system (`cpe:/a:redhat:openscap:1.3.7`), or null. */
    testSystem: string | null;
  };
  /** How many TestResults the file holds; the last one (latest end-time) is used. */
  testResults: number;
  /** rule-results by SSG rule id (prefix removed); other ids are kept whole. notselected is dropped. */
  results: Map<string, XccdfResult>;
}

interface PendingTestResult {
  id: string;
  benchmark: string | null;
  profile: string | null;
  target: string | null;
  startTime: string | null;
  endTime: string | null;
  testSystem: string | null;
  results: Map<string, XccdfResult>;
  ruleResults: number;
}

const attr = (t: SaxesTagNS, local: string): string | null => {
  for (const a of Object.values(t.attributes)) if (a.local === local && a.uri === '') return a.value;
  return null;
};

const firstLine = (s: string) => s.split('\n')[0]!.trim();

/**
 * Reads an OpenSCAP result. Throws OscapInputError for anything that is not well-formed XML, not an
 * XCCDF 1.2 or ARF result, holds no TestResult, or is the result of a benchmark other than SSG's.
 */
export function parseOscapResult(text: string): OscapResultFile {
  const reader = oscapResultReader();
  reader.write(text);
  return reader.close();
}

/**
 * The same, fed piece by piece: a server can hand over a large upload in slices and yield
 * between them instead of holding its event loop for the whole parse.
 */
export function oscapResultReader(): { write(chunk: string): void; close(): OscapResultFile } {
  let first = true;
  const parser = new SaxesParser({ xmlns: true, position: true });
  let root: { uri: string; local: string } | null = null;
  let benchmarkId: string | null = null;
  const done: PendingTestResult[] = [];
  let tr: PendingTestResult | null = null;
  let trDepth = -1;
  let depth = 0;
  /** idref of the rule-result being read, and the text of its <result>. */
  let ruleResult: { idref: string; result: string | null } | null = null;
  let capture: 'result' | 'target' | null = null;
  let captured = '';
  parser.on('opentag', (t) => {
    depth++;
    const inXccdf = t.uri === XCCDF12_NS;
    if (!root) {
      root = { uri: t.uri, local: t.local };
      if (inXccdf && t.local === 'Benchmark') benchmarkId = attr(t, 'id');
    }
    if (!inXccdf) return;
    if (t.local === 'TestResult' && !tr) {
      tr = {
        id: attr(t, 'id') ?? '(no id)',
        benchmark: null,
        profile: null,
        target: null,
        startTime: attr(t, 'start-time'),
        endTime: attr(t, 'end-time'),
        testSystem: attr(t, 'test-system'),
        results: new Map(),
        ruleResults: 0,
      };
      trDepth = depth;
      return;
    }
    if (!tr) return;
    if (depth === trDepth + 1) {
      if (t.local === 'benchmark') tr.benchmark = attr(t, 'id') ?? attr(t, 'href');
      else if (t.local === 'profile') tr.profile = attr(t, 'idref');
      else if (t.local === 'target') {
        capture = 'target';
        captured = '';
      } else if (t.local === 'rule-result') {
        ruleResult = { idref: attr(t, 'idref') ?? '', result: null };
      }
    } else if (ruleResult && depth === trDepth + 2 && t.local === 'result') {
      capture = 'result';
      captured = '';
    }
  });
  parser.on('text', (s) => {
    if (capture) captured += s;
  });
  parser.on('closetag', (t) => {
    if (tr && t.uri === XCCDF12_NS) {
      if (capture === 'target' && t.local === 'target') {
        tr.target = captured.trim();
        capture = null;
      } else if (capture === 'result' && t.local === 'result' && ruleResult) {
        ruleResult.result = captured.trim();
        capture = null;
      } else if (t.local === 'rule-result' && ruleResult && depth === trDepth + 1) {
        tr.ruleResults++;
        const r = ruleResult.result as XccdfResult | null;
        if (ruleResult.idref && r && (XCCDF_RESULTS as readonly string[]).includes(r) && r !== 'notselected') {
          const id = ruleResult.idref.startsWith(SSG_RULE_PREFIX) ? ruleResult.idref.slice(SSG_RULE_PREFIX.length) : ruleResult.idref;
          tr.results.set(id, r);
        }
        ruleResult = null;
      } else if (t.local === 'TestResult' && depth === trDepth) {
        done.push(tr);
        tr = null;
        trDepth = -1;
      }
    }
    depth--;
  });
  const notXml = (e: unknown) =>
    new OscapInputError('not-xml', `not well-formed XML (${firstLine(e instanceof Error ? e.message : String(e))})`);
  return {
    write(chunk: string) {
      const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      first = false;
      try {
        parser.write(text);
      } catch (e) {
        throw notXml(e);
      }
    },
    close() {
      try {
        parser.close();
      } catch (e) {
        throw notXml(e);
      }
      return finish(root, benchmarkId, done);
    },
  };
}

function finish(root: { uri: string; local: string } | null, benchmarkId: string | null, done: PendingTestResult[]): OscapResultFile {
  const r = root;
  if (!r) throw new OscapInputError('not-xml', 'not well-formed XML (no root element)');
  const format = r.uri === ARF_NS && r.local === 'asset-report-collection' ? 'arf' : 'xccdf';
  const known = format === 'arf' || (r.uri === XCCDF12_NS && (r.local === 'Benchmark' || r.local === 'TestResult'));
  if (!known) {
    const what =
      r.uri === XCCDF11_NS
        ? 'XCCDF 1.1 (only XCCDF 1.2 results are read: oscap writes them for SSG content)'
        : `<${r.local}>${r.uri ? ` in ${r.uri}` : ''}`;
    throw new OscapInputError(
      'not-a-result',
      `not an OpenSCAP result: the document is ${what}; expected an XCCDF 1.2 Benchmark or TestResult, or an ARF asset-report-collection`,
    );
  }
  if (!done.length) {
    throw new OscapInputError(
      'no-test-result',
      `no TestResult in this ${format === 'arf' ? 'ARF report' : `XCCDF ${r.local}`}: it is a benchmark or data stream, not a result (oscap xccdf eval --results or --results-arf writes one)`,
    );
  }
  // The latest run, when a file carries several (oscap appends TestResults to a results file).
  const chosen = [...done].sort((a, b) => (a.endTime ?? '').localeCompare(b.endTime ?? '')).at(-1)!;
  const benchmark =
    chosen.benchmark && !chosen.benchmark.startsWith('#') && !chosen.benchmark.includes('/') ? chosen.benchmark : benchmarkId;
  const ssgResults = [...chosen.results.keys()].filter((id) => !id.startsWith('xccdf_')).length;
  const isSsg = benchmark ? benchmark.startsWith(SSG_BENCHMARK_PREFIX) : ssgResults > 0;
  if (!isSsg || (chosen.ruleResults > 0 && ssgResults === 0 && chosen.results.size > 0)) {
    throw new OscapInputError(
      'other-benchmark',
      `a result of ${benchmark ? `benchmark ${benchmark}` : 'an unnamed benchmark'}, not of SCAP Security Guide content: Plumbline rules reference SSG rule ids (${SSG_RULE_PREFIX}*)`,
    );
  }
  return {
    format,
    benchmark,
    testResult: {
      id: chosen.id,
      profile: chosen.profile,
      target: chosen.target,
      startTime: chosen.startTime,
      endTime: chosen.endTime,
      testSystem: chosen.testSystem,
    },
    testResults: done.length,
    results: chosen.results,
  };
}

/** OpenSCAP's verdict on one of our rules, from the verdicts of the SSG rules it references. */
export type OscapVerdict = 'pass' | 'fail' | 'notapplicable' | null;

export function oscapVerdict(
  rule: Pick<Rule, 'references' | 'oscap'>,
  results: ReadonlyMap<string, string>,
  excluded?: ReadonlySet<string>,
): OscapVerdict {
  const part = (id: string): string | null => (excluded?.has(id) ? null : (results.get(id) ?? null));
  const alternatives = rule.oscap?.alternatives ?? [];
  const grouped = new Set(alternatives.flat());
  const groups = [...alternatives, ...rule.references.ssg.filter((id) => !grouped.has(id)).map((id) => [id])];
  const present = groups.map((g) => g.filter((id) => part(id) !== null)).filter((g) => g.length > 0);
  if (!present.length) return null;
  const verdicts = groups.map((g): OscapVerdict => {
    const v = g.map(part);
    if (v.includes('pass')) return 'pass';
    if (v.length && v.every((x) => x === 'fail')) return 'fail';
    if (v.length && v.every((x) => x === 'notapplicable')) return 'notapplicable';
    return null;
  });
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.every((v) => v === 'pass' || v === 'notapplicable') && verdicts.includes('pass')) return 'pass';
  if (verdicts.every((v) => v === 'notapplicable')) return 'notapplicable';
  return null;
}

export type ComparisonOutcome = 'agree' | 'differ' | 'not-compared';

export interface RuleComparison {
  ruleId: string;
  title: string;
  outcome: ComparisonOutcome;
  ours: Status;
  /** OpenSCAP's verdict on the rule as a whole, or null when its parts do not decide one. */
  oscap: OscapVerdict;
  /** OpenSCAP's result for each SSG rule the rule references (`absent` when the file has none). */
  ssg: Record<string, XccdfResult | 'absent'>;
  /** Our evidence (for differences and not-compared rules; empty for agreements). */
  evidence: Evidence[];
  /** The rule documents that OpenSCAP may disagree (`oscap.differs`), and why. */
  documented: boolean;
  why: string | null;
  /** For not-compared: why not. */
  reason: string | null;
}

export interface OscapComparison {
  oscap: {
    format: 'xccdf' | 'arf';
    benchmark: string | null;
    testResult: string;
    profile: string | null;
    target: string | null;
    endTime: string | null;
    testSystem: string | null;
    /** SSG rule-results in the file (notselected dropped). */
    ruleResults: number;
  };
  summary: {
    compared: number;
    agree: number;
    differ: number;
    /** Differences the rule documents (`oscap.why`). */
    documented: number;
    notCompared: number;
    /** OpenSCAP rule-results no rule of ours references. */
    unmapped: number;
  };
  rules: RuleComparison[];
  /** SSG ids in the file that no rule of ours references, with their results. */
  unmapped: { ssg: string; result: XccdfResult }[];
}

const DECIDED = new Set<Status | OscapVerdict>(['pass', 'fail']);

/**
 * Compares our results with an OpenSCAP result. Rules without an SSG reference, or whose SSG rules
 * the file does not carry, are left out; every other rule is agree, differ or not-compared.
 */
export function compareWithOscap(rules: ReadonlyMap<string, Rule>, results: readonly Result[], file: OscapResultFile): OscapComparison {
  const referenced = new Set<string>();
  const out: RuleComparison[] = [];
  for (const r of results) {
    const rule = rules.get(r.ruleId);
    if (!rule || !rule.references.ssg.length) continue;
    for (const id of rule.references.ssg) referenced.add(id);
    if (!rule.references.ssg.some((id) => file.results.has(id))) continue;
    const verdict = oscapVerdict(rule, file.results);
    const ssg = Object.fromEntries(rule.references.ssg.map((id) => [id, file.results.get(id) ?? 'absent'])) as RuleComparison['ssg'];
    const documented = rule.oscap?.differs === true;
    let outcome: ComparisonOutcome;
    let reason: string | null = null;
    if (verdict !== null && r.status === verdict) outcome = 'agree';
    else if (DECIDED.has(r.status) && DECIDED.has(verdict)) outcome = 'differ';
    else {
      outcome = 'not-compared';
      reason =
        verdict === null
          ? `OpenSCAP gives no verdict (${Object.entries(ssg)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`
          : `ours is ${r.status}, OpenSCAP's ${verdict}`;
    }
    out.push({
      ruleId: r.ruleId,
      title: r.title,
      outcome,
      ours: r.status,
      oscap: verdict,
      ssg,
      evidence: outcome === 'agree' ? [] : r.evidence,
      documented,
      why: rule.oscap?.why ?? null,
      reason,
    });
  }
  const order: Record<ComparisonOutcome, number> = { differ: 0, 'not-compared': 1, agree: 2 };
  out.sort((a, b) => order[a.outcome] - order[b.outcome] || a.ruleId.localeCompare(b.ruleId));
  const unmapped = [...file.results]
    .filter(([id]) => !referenced.has(id))
    .map(([ssg, result]) => ({ ssg, result }))
    .sort((a, b) => a.ssg.localeCompare(b.ssg));
  const count = (o: ComparisonOutcome) => out.filter((c) => c.outcome === o).length;
  return {
    oscap: {
      format: file.format,
      benchmark: file.benchmark,
      testResult: file.testResult.id,
      profile: file.testResult.profile,
      target: file.testResult.target,
      endTime: file.testResult.endTime,
      testSystem: file.testResult.testSystem,
      ruleResults: file.results.size,
    },
    summary: {
      compared: count('agree') + count('differ'),
      agree: count('agree'),
      differ: count('differ'),
      documented: out.filter((c) => c.outcome === 'differ' && c.documented).length,
      notCompared: count('not-compared'),
      unmapped: unmapped.length,
    },
    rules: out,
    unmapped,
  };
}

/** A file none of whose rule-results one of our rules references is no second opinion on anything. */
export function assertComparable(c: OscapComparison): void {
  if (c.rules.length === 0) {
    throw new OscapInputError(
      'other-benchmark',
      `none of the ${c.oscap.ruleResults} evaluated rule-results of ${c.oscap.benchmark ?? 'this result'} is an SSG rule that a Plumbline rule references`,
    );
  }
}

const ssgText = (ssg: RuleComparison['ssg']) =>
  Object.entries(ssg)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The comparison for a terminal: differences first, each with our evidence and the documented why. */
export function renderComparison(c: OscapComparison, ours: { host: string; note?: string }): string {
  const o = c.oscap;
  const lines = [
    `OpenSCAP: ${o.benchmark ?? 'benchmark not named'}${o.profile ? `, profile ${o.profile}` : ''}, target ${o.target ?? '?'}${o.endTime ? `, ${o.endTime}` : ''} (${o.format.toUpperCase()}, ${o.ruleResults} rule-results)`,
    `Plumbline: ${ours.host}`,
  ];
  if (ours.note) lines.push(`note: ${ours.note}`);
  const section = (title: string, rs: RuleComparison[], line: (r: RuleComparison) => string[]) => {
    if (!rs.length) return;
    lines.push('', `${title} (${rs.length})`);
    for (const r of rs) lines.push(...line(r));
  };
  section(
    'Differ',
    c.rules.filter((r) => r.outcome === 'differ'),
    (r) => [
      `  ${r.ruleId}: ours ${r.ours}, OpenSCAP ${r.oscap}  [${ssgText(r.ssg)}]`,
      ...r.evidence.map((e) => `    ours: expected ${e.expected}; observed ${e.observed}${e.source ? ` [${e.source}]` : ''}`),
      r.documented && r.why
        ? `    why (documented): ${r.why}`
        : `    not documented: the rule does not expect OpenSCAP to disagree; read both and report the one that is wrong`,
    ],
  );
  section(
    'Not compared',
    c.rules.filter((r) => r.outcome === 'not-compared'),
    (r) => [`  ${r.ruleId}: ${r.reason}`],
  );
  section(
    'Agree',
    c.rules.filter((r) => r.outcome === 'agree'),
    (r) => [`  ${r.ruleId}: ${r.ours}  [${ssgText(r.ssg)}]`],
  );
  const s = c.summary;
  lines.push(
    '',
    `${s.compared} compared: ${s.agree} agree, ${s.differ} differ (${s.documented} documented); ${s.notCompared} not compared; ${s.unmapped} OpenSCAP rule-results no Plumbline rule references`,
  );
  return lines.join('\n');
}
